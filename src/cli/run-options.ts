// Commander's raw flags become one validated RunOptions object here, at the edge; nothing past
// this point re-checks them (execa's normalize-once habit).
import { statSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseBudget, type BudgetLimit } from "../run/budget.js";
import { loadConfig, type LimitsConfig } from "../config/config-file.js";
import { parseDuration } from "../text/duration.js";
import { formatZodIssues } from "../text/zod-issues.js";
import { CliError, EXIT } from "./exit-codes.js";
import { OUTPUT_FORMATS, type OutputFormat } from "./output-formats.js";

export { OUTPUT_FORMATS, type OutputFormat };

export const DEFAULT_MODEL = "openai/gpt-4o-mini";
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_AGENTS = 100;
export const DEFAULT_TIMEOUT_MS = 3_600_000;
export const MAX_CONCURRENCY = 64;
const MAX_TIMER_MS = 2 ** 31 - 1;

const intFlag = (flag: string, min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((value, ctx) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: "custom", message: `${flag} takes a whole number from ${min} to ${max}, not "${value}"` });
      return z.NEVER;
    }
    return n;
  });

const RawRunFlags = z.object({
  model: z.string().min(1).optional(),
  agentModel: z.string().min(1).optional(),
  baseUrl: z.string().min(1).optional(),
  yes: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  output: z.string().min(1).optional(),
  json: z.boolean().default(false),
  outputFormat: z.enum(OUTPUT_FORMATS, { message: `--output-format takes one of ${OUTPUT_FORMATS.join(", ")}` }).optional(),
  concurrency: intFlag("--concurrency", 1, MAX_CONCURRENCY).optional(),
  maxAgents: intFlag("--max-agents", 1, 10_000).optional(),
  timeout: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const ms = parseDuration(value);
      if (ms === undefined || ms <= 0) {
        ctx.addIssue({ code: "custom", message: `--timeout takes a duration like 90s, 30m or 2h, not "${value}"` });
        return z.NEVER;
      }
      // Node fires a timer longer than 2^31-1 ms (about 596h) after 1 ms instead, which would stop
      // every workflow at once.
      if (ms > MAX_TIMER_MS) {
        ctx.addIssue({ code: "custom", message: `--timeout takes at most 596h, not "${value}"` });
        return z.NEVER;
      }
      return ms;
    }),
  cwd: z.string().min(1).optional(),
  budget: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined) return undefined;
      const limit = parseBudget(value);
      if (limit === undefined) {
        ctx.addIssue({ code: "custom", message: `--budget takes USD like 2.50 or a token count like 500k-tokens, not "${value}"` });
        return z.NEVER;
      }
      return limit;
    }),
});

export interface RunOptions {
  readonly task: string;
  readonly model: string;
  readonly agentModel: string | undefined;
  readonly baseUrl: string | undefined;
  readonly yes: boolean;
  readonly dryRun: boolean;
  readonly output: string | undefined;
  readonly outputFormat: OutputFormat;
  readonly concurrency: number;
  readonly maxAgents: number;
  readonly timeoutMs: number;
  readonly cwd: string;
  readonly budget: BudgetLimit | undefined;
  /** Sandbox limits from config files (`limits.*`); flags cover the rest. */
  readonly limits: LimitsConfig;
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
  // Flags, then the environment, then config files, then the defaults.
  const { config } = loadConfig(cwd, env);
  const fromConfig = RawRunFlags.pick({ timeout: true, budget: true }).safeParse({ timeout: config.timeout, budget: config.budget });
  if (!fromConfig.success) throw new CliError(`config: ${flagIssues(fromConfig.error).replace(/--/g, "")}`, EXIT.usage);
  return {
    task: task.trim(),
    model: flags.model ?? (env.AGENTWF_MODEL?.trim() || undefined) ?? config.model ?? DEFAULT_MODEL,
    agentModel: flags.agentModel ?? config.agentModel,
    baseUrl: flags.baseUrl ?? config.baseUrl,
    yes: flags.yes,
    dryRun: flags.dryRun,
    output: flags.output,
    outputFormat: flags.json ? "json" : (flags.outputFormat ?? "text"),
    concurrency: flags.concurrency ?? config.concurrency ?? DEFAULT_CONCURRENCY,
    maxAgents: flags.maxAgents ?? config.maxAgents ?? DEFAULT_MAX_AGENTS,
    timeoutMs: flags.timeout ?? fromConfig.data.timeout ?? DEFAULT_TIMEOUT_MS,
    cwd,
    budget: flags.budget ?? fromConfig.data.budget,
    limits: config.limits ?? {},
  };
}
