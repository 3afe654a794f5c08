// Commander's raw flags become one validated RunOptions object here, at the edge; nothing past
// this point re-checks them (execa's normalize-once habit).
import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { formatBudget, parseBudget, type BudgetLimit } from "../run/budget.js";
import { DEFAULT_CONFIRM_THRESHOLD, parseConfirmOver, type ConfirmThreshold } from "../run/confirm-threshold.js";
import { RUN_ID } from "../run/run-store.js";
import { loadConfig, userConfigPath, type ConfigFile } from "../config/config-file.js";
import { LIMITS, LIMIT_NAMES, type LimitName, type Limits } from "../config/limits.js";
import { applyProjectTrust } from "../config/project-trust.js";
import { DEFAULT_SANDBOX_MODE, SANDBOX_MODES, type SandboxMode } from "../config/sandbox-mode.js";
import type { ModelAccess } from "../config/model-access.js";
import { personBaseUrl, type Env } from "../config/resolve-model.js";
import { shownValue } from "../config/shown-value.js";
import { parseDuration } from "../text/duration.js";
import { formatZodIssues } from "../text/zod-issues.js";
import { CliError, EXIT } from "./exit-codes.js";
import { OUTPUT_FORMATS, type OutputFormat } from "./output-formats.js";

export { OUTPUT_FORMATS, type OutputFormat };

export const DEFAULT_MODEL = "openai/gpt-4o-mini";

const intFlag = (name: "concurrency" | "maxAgents") => {
  const { flag, min, max } = LIMITS[name];
  return z.union([z.string(), z.number()]).transform((value, ctx) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `${flag} takes a whole number from ${min} to ${max}, not "${value}"` });
      return z.NEVER;
    }
    return n;
  });
};

const RawRunFlags = z.object({
  model: z.string().min(1).optional(),
  agentModel: z.string().min(1).optional(),
  baseUrl: z.string().min(1).optional(),
  yes: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  output: z.string().min(1).optional(),
  json: z.boolean().default(false),
  outputFormat: z.enum(OUTPUT_FORMATS, { message: `--output-format takes one of ${OUTPUT_FORMATS.join(", ")}` }).optional(),
  concurrency: intFlag("concurrency").optional(),
  maxAgents: intFlag("maxAgents").optional(),
  timeout: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: "custom", message: `--timeout takes a duration like 90s, 30m or 2h, not ${shownValue(value)}` });
        return z.NEVER;
      }
      if (ms > LIMITS.wallTimeMs.max) {
        ctx.addIssue({ code: "custom", message: `--timeout takes at most 596h, not ${shownValue(value)}` });
        return z.NEVER;
      }
      return ms;
    }),
  cwd: z.string().min(1).optional(),
  sandbox: z.enum(SANDBOX_MODES, { message: `--sandbox takes one of ${SANDBOX_MODES.join(", ")}` }).optional(),
  network: z.boolean().optional(),
  confirmOver: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const threshold = parseConfirmOver(value);
      if (threshold === undefined) {
        ctx.addIssue({ code: "custom", message: `--confirm-over takes a sub-agent count, a dollar amount or both, like 40, $2 or 40,$2, not ${shownValue(value)}` });
        return z.NEVER;
      }
      return threshold;
    }),
  yesOver: z.boolean().default(false),
  resume: z.string().regex(RUN_ID, "--resume takes a run id as agentwf runs lists it, e.g. 20261124-113501-a1b2").optional(),
  dialect: z.enum(["main", "claude"], { message: "--dialect takes main or claude" }).optional(),
  budget: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const limit = parseBudget(value);
      if (limit === undefined) {
        ctx.addIssue({ code: "custom", message: `--budget takes USD like 2.50 or a token count like 500k-tokens, not ${shownValue(value)}` });
        return z.NEVER;
      }
      return limit;
    }),
});

export interface RunOptions {
  readonly task: string;
  readonly model: string;
  readonly agentModel: string | undefined;
  /** The server the person named for every model: --base-url, AGENTWF_BASE_URL, OPENAI_BASE_URL, their own config. */
  readonly baseUrl: string | undefined;
  /** The models the person chose; a workflow or agent file may use only their providers (config/model-access.ts). */
  readonly personModels: readonly string[];
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly output: string | undefined;
  readonly outputFormat: OutputFormat;
  readonly concurrency: number;
  readonly maxAgents: number;
  readonly timeoutMs: number;
  readonly cwd: string;
  readonly budget: BudgetLimit | undefined;
  /** A workflow projected past this asks before it runs (`--confirm-over`). */
  readonly confirmOver: ConfirmThreshold;
  /** `--yes-over`: a workflow past the threshold runs without asking. */
  readonly yesOver: boolean;
  /** Every limit of config/limits.ts, settled: flags, the person's config, the project's (lower only), defaults. */
  readonly limits: Limits;
  /** What the tools may do (config/sandbox-mode.ts): the person's choice, tightened by the project's file. */
  readonly sandbox: SandboxMode;
  /** --network: commands in the sandbox may reach the network. */
  readonly network: boolean;
  /** The person's own config allows read_file and grep to read `.env*` files. */
  readonly allowDotEnv: boolean;
  /** One line each for what the project's config file tried and was not allowed; print them to stderr. */
  readonly warnings: readonly string[];
  /** `--resume ID`: the run to continue. */
  readonly resume: string | undefined;
  /** The workflow format the parent is taught to write (`--dialect`). */
  readonly dialect: "main" | "claude";
}

/** Checks that `dir` exists and is a directory; returns its absolute path. */
export function resolveWorkspace(dir: string | undefined, processCwd: string): string {
  const resolved = path.resolve(processCwd, dir ?? ".");
  let isDir = false;
  try {
    isDir = statSync(resolved).isDirectory();
  } catch {
    throw new CliError(`--cwd ${dir}: no such directory`, EXIT.usage);
  }
  if (!isDir) throw new CliError(`--cwd ${dir}: not a directory`, EXIT.usage);
  return resolved;
}

/** Flag problems as the person typed them: `--max-agents: …`, unless the message names the flag. */
function flagIssues(error: z.ZodError): string {
  return formatZodIssues(error, {
    name: (path) => `--${String(path[0] ?? "").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
    standsAlone: (message) => message.startsWith("--"),
  });
}

const ConfigDurations = RawRunFlags.pick({ timeout: true, budget: true });

/** A config file's timeout and budget, parsed as the flags are; a bad one names the file. */
function configDurations(file: string, config: ConfigFile): z.infer<typeof ConfigDurations> {
  const parsed = ConfigDurations.safeParse({ timeout: config.timeout, budget: config.budget });
  if (!parsed.success) throw new CliError(`${file}: ${flagIssues(parsed.error).replace(/--/g, "")}`, EXIT.usage);
  return parsed.data;
}

const FLAG_OF: Partial<Record<LimitName, "concurrency" | "maxAgents" | "timeout">> = { concurrency: "concurrency", maxAgents: "maxAgents", wallTimeMs: "timeout" };

/** A limit's value in one config file (the duration already parsed). */
function limitInConfig(name: LimitName, config: ConfigFile, timeoutMs: number | undefined): number | undefined {
  if (name === "wallTimeMs") return timeoutMs;
  if (name === "concurrency" || name === "maxAgents") return config[name];
  return config.limits?.[name];
}

/** Validates `agentwf run` flags and the task into RunOptions, or throws a CliError (exit 2). */
export function normalizeRunOptions(task: string, raw: unknown, env: Readonly<Record<string, string | undefined>>, processCwd: string): RunOptions {
  const parsed = RawRunFlags.safeParse(raw);
  if (!parsed.success) throw new CliError(flagIssues(parsed.error), EXIT.usage);
  const flags = parsed.data;
  if (task.trim() === "") throw new CliError('no task given: agentwf run "what to do" (or - to read it from stdin)', EXIT.usage);
  if (flags.json && flags.outputFormat !== undefined && flags.outputFormat !== "json") {
    throw new CliError(`--json and --output-format ${flags.outputFormat} disagree; pass one of them`, EXIT.usage);
  }
  const cwd = resolveWorkspace(flags.cwd, processCwd);
  const loaded = loadConfig(cwd, env);
  const user = loaded.user?.config ?? {};
  const none: z.infer<typeof ConfigDurations> = { timeout: undefined, budget: undefined };
  const userDurations = loaded.user !== undefined ? configDurations(loaded.user.file, user) : none;
  const project = loaded.project;
  const projectDurations = project !== undefined ? configDurations(project.file, project.config) : none;

  // The person's settings first: flags, then the environment, then their own config file.
  const personModel = flags.model ?? (env.AGENTWF_MODEL?.trim() || undefined) ?? user.model;
  const personAgentModel = flags.agentModel ?? user.agentModel;
  const baseUrl = personBaseUrl(env, flags.baseUrl, user.baseUrl);
  const personModels = [personModel ?? DEFAULT_MODEL, ...(personAgentModel !== undefined ? [personAgentModel] : [])];
  const limitsFromFlags = new Set(
    LIMIT_NAMES.filter((name) => {
      const flag = FLAG_OF[name];
      return flag !== undefined && flags[flag] !== undefined;
    }),
  );
  const personLimits = Object.fromEntries(
    LIMIT_NAMES.map((name) => {
      const flag = FLAG_OF[name];
      const fromFlag = flag !== undefined ? flags[flag] : undefined;
      return [name, fromFlag ?? limitInConfig(name, user, userDurations.timeout) ?? LIMITS[name].default];
    }),
  ) as Record<LimitName, number>;

  // Then what the project's file may add: only what tightens.
  const personBudget = flags.budget ?? userDurations.budget;
  const trusted = applyProjectTrust(
    {
      access: { env, ...(baseUrl !== undefined ? { baseUrl } : {}), personModels },
      ...(personModel !== undefined ? { model: personModel } : {}),
      ...(personAgentModel !== undefined ? { agentModel: personAgentModel } : {}),
      limits: personLimits,
      limitsFromFlags,
      userConfigFile: loaded.user?.file ?? userConfigPath(env),
      ...(personBudget !== undefined ? { budget: { ...personBudget, shown: formatBudget(personBudget) } } : {}),
      budgetFromFlag: flags.budget !== undefined,
      sandbox: {
        mode: flags.sandbox ?? user.sandbox ?? DEFAULT_SANDBOX_MODE,
        network: flags.network ?? user.network ?? false,
        modeFromFlag: flags.sandbox !== undefined,
        networkFromFlag: flags.network !== undefined,
      },
    },
    project === undefined
      ? undefined
      : {
          file: project.file,
          config: project.config,
          ...(projectDurations.timeout !== undefined ? { timeoutMs: projectDurations.timeout } : {}),
          ...(projectDurations.budget !== undefined ? { budget: projectDurations.budget } : {}),
        },
  );
  const budget = trusted.projectBudget === true ? projectDurations.budget : personBudget;

  const limits = trusted.limits;
  return {
    task: task.trim(),
    model: personModel ?? trusted.model ?? DEFAULT_MODEL,
    agentModel: personAgentModel ?? trusted.agentModel,
    baseUrl,
    personModels,
    yes: flags.yes,
    dryRun: flags.dryRun,
    output: flags.output,
    outputFormat: flags.json ? "json" : (flags.outputFormat ?? "text"),
    concurrency: limits.concurrency,
    maxAgents: limits.maxAgents,
    timeoutMs: limits.wallTimeMs,
    cwd,
    budget,
    confirmOver: flags.confirmOver ?? DEFAULT_CONFIRM_THRESHOLD,
    yesOver: flags.yesOver,
    limits,
    sandbox: trusted.sandbox?.mode ?? DEFAULT_SANDBOX_MODE,
    network: trusted.sandbox?.network ?? false,
    allowDotEnv: user.tools?.readDotEnv === true,
    warnings: trusted.warnings,
    resume: flags.resume,
    dialect: flags.dialect ?? "main",
  };
}

/** The person's model access: the servers and keys any model of this run may use (config/model-access.ts). */
export function modelAccess(options: Pick<RunOptions, "baseUrl" | "personModels">, env: Env): ModelAccess {
  return { env, ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}), personModels: options.personModels };
}
