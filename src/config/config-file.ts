// Config files: the user's ($XDG_CONFIG_HOME/agentwf/config.json, else ~/.config/agentwf/) and
// the project's (.agentwf/config.json in the workspace). Flags beat environment variables beat
// the project file beat the user file beat the built-in defaults. A bad file is one line that
// names the file and the key.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { formatZodIssues } from "../text/zod-issues.js";
import { ConfigError } from "./config-error.js";
import type { Env } from "./resolve-model.js";

const LimitsSchema = z
  .object({
    memoryMb: z.number().int().min(8).max(8192),
    cpuTimeMs: z.number().int().min(100).max(24 * 3_600_000),
    maxCodeBytes: z.number().int().min(1024).max(10_000_000),
    maxResultBytes: z.number().int().min(1024).max(100_000_000),
    maxLogBytes: z.number().int().min(1024).max(100_000_000),
    reduceInputChars: z.number().int().min(1000).max(10_000_000),
  })
  .partial()
  .strict();

export const ConfigSchema = z
  .object({
    model: z.string().min(1),
    agentModel: z.string().min(1),
    baseUrl: z.string().url(),
    concurrency: z.number().int().min(1).max(64),
    maxAgents: z.number().int().min(1).max(10_000),
    /** Wall clock per workflow, as for --timeout ("90s", "30m", "2h"). */
    timeout: z.string().min(1),
    /** As for --budget ("2.50", "500k-tokens"). */
    budget: z.string().min(1),
    limits: LimitsSchema,
  })
  .partial()
  .strict();

export type ConfigFile = z.infer<typeof ConfigSchema>;
export type LimitsConfig = z.infer<typeof LimitsSchema>;

export interface LoadedConfig {
  readonly config: ConfigFile;
  /** The files that were read, lowest precedence first. */
  readonly files: readonly string[];
}

export function configPaths(workspace: string, env: Env): string[] {
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME ?? os.homedir(), ".config");
  return [path.join(xdg, "agentwf", "config.json"), path.join(workspace, ".agentwf", "config.json")];
}

function readOne(file: string): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message}); fix or remove the file`);
  }
  const parsed = ConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`${file}: ${formatZodIssues(parsed.error, { whole: "(top level)", most: 1 })}; see README.md, "Configuration"`);
  }
  return parsed.data;
}

/** Reads and merges the config files; a missing file is no config, a broken one is a ConfigError. */
export function loadConfig(workspace: string, env: Env): LoadedConfig {
  const files: string[] = [];
  let config: ConfigFile = {};
  for (const file of configPaths(workspace, env)) {
    const one = readOne(file);
    if (one === undefined) continue;
    files.push(file);
    config = { ...config, ...one, limits: { ...config.limits, ...one.limits } };
  }
  return { config, files };
}
