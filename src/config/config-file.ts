// Config files: the user's ($XDG_CONFIG_HOME/agentwf/config.json, else ~/.config/agentwf/) and
// the project's (.agentwf/config.json in the workspace). Flags beat environment variables beat
// the project file beat the user file beat the built-in defaults. A bad file is one line that
// names the file and the key.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { WorkspaceReadError, readRegularFileSync } from "../workspace/regular-file.js";
import { readWorkspaceFileSync } from "../workspace/read-workspace-file.js";
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

const CONFIG_CAP = { maxBytes: 1024 * 1024, purpose: "a config file" } as const;

// `workspace` is set for the project's file: the repository's, so it is read through the workspace
// guard (no symlink out, no FIFO that hangs start-up). A missing file is no config.
function readOne(file: string, workspace?: string): ConfigFile | undefined {
  let text: string;
  try {
    const bytes = workspace === undefined ? readRegularFileSync(file, file, CONFIG_CAP) : readWorkspaceFileSync(workspace, file, CONFIG_CAP);
    text = bytes.toString("utf8");
  } catch (error) {
    if (error instanceof WorkspaceReadError && error.code !== "missing") throw new ConfigError(error.message);
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
    const issue = parsed.error.issues[0];
    const key = issue?.path.join(".") || "(top level)";
    const what = issue?.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}` : (issue?.message ?? "invalid");
    throw new ConfigError(`${file}: ${key}: ${what}; see README.md, "Configuration"`);
  }
  return parsed.data;
}

/** Reads and merges the config files; a missing file is no config, a broken one is a ConfigError. */
export function loadConfig(workspace: string, env: Env): LoadedConfig {
  const files: string[] = [];
  let config: ConfigFile = {};
  const paths = configPaths(workspace, env);
  for (const file of paths) {
    const one = readOne(file, file === paths[paths.length - 1] ? workspace : undefined);
    if (one === undefined) continue;
    files.push(file);
    config = { ...config, ...one, limits: { ...config.limits, ...one.limits } };
  }
  return { config, files };
}
