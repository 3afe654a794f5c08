// Config files: the user's ($XDG_CONFIG_HOME/agentwf/config.json, else ~/.config/agentwf/) and
// the project's (.agentwf/config.json in the workspace). They are read as two layers, never merged
// here: the user's file speaks for the person, the project's for whoever wrote the repository, and
// project-trust.ts decides what the project's may change. A bad file is one line that names the
// file and the key.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { ConfigError } from "./config-error.js";
import { shownValue } from "./shown-value.js";
import { LIMITS, NESTED_LIMIT_NAMES, type LimitName } from "./limits.js";
import type { Env } from "./resolve-model.js";

const limitNumber = (name: LimitName) => z.number().int().min(LIMITS[name].min).max(LIMITS[name].max);

const LimitsSchema = z
  .object(Object.fromEntries(NESTED_LIMIT_NAMES.map((name) => [name, limitNumber(name)])) as Record<(typeof NESTED_LIMIT_NAMES)[number], ReturnType<typeof limitNumber>>)
  .partial()
  .strict();

export const ConfigSchema = z
  .object({
    model: z.string().min(1),
    agentModel: z.string().min(1),
    baseUrl: z.string().url(),
    concurrency: limitNumber("concurrency"),
    maxAgents: limitNumber("maxAgents"),
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

/** One config file that was read: where it is and what it says. */
export interface ConfigLayer {
  readonly file: string;
  readonly config: ConfigFile;
}

export interface LoadedConfig {
  /** The person's own file, under the home or XDG config directory. */
  readonly user: ConfigLayer | undefined;
  /** The workspace's `.agentwf/config.json`: written by whoever wrote the repository. */
  readonly project: ConfigLayer | undefined;
}

export function userConfigPath(env: Env): string {
  const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME ?? os.homedir(), ".config");
  return path.join(xdg, "agentwf", "config.json");
}

export function projectConfigPath(workspace: string): string {
  return path.join(workspace, ".agentwf", "config.json");
}

/** Config files are small; a bigger one is a mistake or an attack, not a config. */
const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Reads a config file as text, or undefined when there is none. The project's file is written by
 * whoever wrote the repository: a FIFO there would hang start-up and a symlink could point at any
 * file of the person's, so only a regular file inside the workspace is read (opened without
 * blocking, then checked on the descriptor it was opened as).
 */
function readConfigText(file: string, confineTo: string | undefined): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new ConfigError(`${file}: not a regular file; remove it`);
    if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError(`${file}: ${stat.size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for a config file; remove it`);
    if (confineTo !== undefined) {
      const real = realpathSync(file);
      const root = realpathSync(confineTo);
      if (real !== root && !real.startsWith(root + path.sep)) throw new ConfigError(`${file}: a link to a file outside the workspace; remove it`);
    }
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function readOne(file: string, confineTo?: string): ConfigLayer | undefined {
  const text = readConfigText(file, confineTo);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${shownValue((error as Error).message).slice(1, -1)}); fix or remove the file`);
  }
  const parsed = ConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join(".") || "(top level)";
    const what = issue?.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => shownValue(k)).join(", ")}` : (issue?.message ?? "invalid");
    throw new ConfigError(`${file}: ${key}: ${what}; see README.md, "Configuration"`);
  }
  return { file, config: parsed.data };
}

/** Reads both config files; a missing file is no layer, a broken one is a ConfigError. */
export function loadConfig(workspace: string, env: Env): LoadedConfig {
  const userFile = userConfigPath(env);
  const projectFile = projectConfigPath(workspace);
  return { user: readOne(userFile), project: readOne(projectFile, workspace) };
}
