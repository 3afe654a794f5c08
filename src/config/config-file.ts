// Config files: the user's ($XDG_CONFIG_HOME/agentwf/config.json, else ~/.config/agentwf/) and
// the project's (.agentwf/config.json in the workspace). They are read as two layers, never merged
// here: the user's file speaks for the person, the project's for whoever wrote the repository, and
// project-trust.ts decides what the project's may change. A bad file is one line that names the
// file and the key.
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { WorkspaceReadError, readRegularFileSync } from "../workspace/regular-file.js";
import { readWorkspaceFileSync } from "../workspace/read-workspace-file.js";
import { formatZodIssues } from "../text/zod-issues.js";
import { escapeForDisplay } from "../text/safe-text.js";
import { ConfigError } from "./config-error.js";
import { shownValue } from "./shown-value.js";
import { SandboxModeSchema } from "./sandbox-mode.js";
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
    /** As for --sandbox; a project file may only pick a tighter mode (project-trust.ts). */
    sandbox: SandboxModeSchema,
    /** As for --network; a project file may only turn it off. */
    network: z.boolean(),
    tools: z
      .object({
        /** Let read_file and grep read `.env*` files; only the person's own file may turn it on. */
        readDotEnv: z.boolean(),
      })
      .partial()
      .strict(),
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
const CONFIG_CAP = { maxBytes: 256 * 1024, purpose: "a config file" } as const;

/**
 * Reads a config file as text, or undefined when there is none. The project's file is written by
 * whoever wrote the repository, so it goes through the workspace guard: only a regular file inside
 * the workspace (no FIFO that hangs start-up, no symlink to a file of the person's).
 */
function readConfigText(file: string, confineTo: string | undefined): string | undefined {
  try {
    const bytes = confineTo === undefined ? readRegularFileSync(file, file, CONFIG_CAP) : readWorkspaceFileSync(confineTo, file, CONFIG_CAP);
    return bytes.toString("utf8");
  } catch (error) {
    if (error instanceof WorkspaceReadError) {
      if (error.code === "missing") return undefined;
      throw new ConfigError(error.message);
    }
    throw error;
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
    // Keys and values come from the file: shown escaped, so the message says exactly what is there.
    throw new ConfigError(`${file}: ${escapeForDisplay(formatZodIssues(parsed.error, { whole: "(top level)", most: 1 }))}; see README.md, "Configuration"`);
  }
  return { file, config: parsed.data };
}

/** Reads both config files; a missing file is no layer, a broken one is a ConfigError. */
export function loadConfig(workspace: string, env: Env): LoadedConfig {
  const userFile = userConfigPath(env);
  const projectFile = projectConfigPath(workspace);
  return { user: readOne(userFile), project: readOne(projectFile, workspace) };
}
