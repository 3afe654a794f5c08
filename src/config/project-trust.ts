// Trust is the person's, not the repository's. A project's `.agentwf/config.json` was written by
// whoever wrote the repository the person just cloned, so it may tighten what the person set but
// never loosen it, and never decide where requests and keys go:
//   baseUrl                    never (the person's flag, environment or own config decide)
//   model, agentModel          only a model model-access.ts allows (a provider the person configured)
//   every limit in limits.ts   only lower than the person's value (flag, own config, default)
//   budget                     only a budget where the person has none, or a lower one in the same unit
// Each ignored setting is one warning line naming the file, the key and the value.
import { ConfigError } from "./config-error.js";
import type { ConfigFile } from "./config-file.js";
import { LIMITS, LIMIT_NAMES, formatLimit, type LimitName, type LimitSpec, type Limits } from "./limits.js";
import { resolveWorkspaceModel, type ModelAccess } from "./model-access.js";
import { isWithinSandboxMode, type SandboxMode } from "./sandbox-mode.js";
import { shownValue } from "./shown-value.js";

/** What the person set, before the project file is looked at. */
export interface PersonSettings {
  readonly access: ModelAccess;
  /** The models the person named (flag, environment, own config); the project's then have no say. */
  readonly model?: string;
  readonly agentModel?: string;
  /** Each limit from its flag, else the person's own config, else the default. */
  readonly limits: Limits;
  /** The limits a flag set: those the project file has no say in. */
  readonly limitsFromFlags: ReadonlySet<LimitName>;
  /** Where the person's own config file is, for the advice in warnings. */
  readonly userConfigFile: string;
  /** The person's budget, if any (`shown` as "$0.50"), and whether --budget set it. */
  readonly budget?: Budget & { readonly shown: string };
  readonly budgetFromFlag?: boolean;
  /** The person's sandbox mode and network (flag, own config, default), and whether a flag set them. */
  readonly sandbox?: { readonly mode: SandboxMode; readonly network: boolean; readonly modeFromFlag: boolean; readonly networkFromFlag: boolean };
}

/** A budget as run/budget.ts parses it: an amount in one unit ("usd", "tokens"). */
export interface Budget {
  readonly kind: string;
  readonly amount: number;
}

export interface ProjectLayer {
  readonly file: string;
  readonly config: ConfigFile;
  /** `config.timeout` in ms and `config.budget` parsed (the caller parses durations and budgets). */
  readonly timeoutMs?: number;
  readonly budget?: Budget;
}

export interface TrustedProject {
  readonly model?: string;
  readonly agentModel?: string;
  readonly limits: Limits;
  /** The project's budget replaces the person's. */
  readonly projectBudget?: true;
  /** The sandbox after the project's file: tighter or the same, never wider. */
  readonly sandbox?: { readonly mode: SandboxMode; readonly network: boolean };
  readonly warnings: readonly string[];
}

/** The one line said about an ignored project setting. */
export function projectWarning(file: string, key: string, value: unknown, why: string): string {
  return `agentwf: warning: ${file}: ignored ${key} ${shownValue(value)}: ${why}`;
}

function projectLimitValue(name: LimitName, project: ProjectLayer): { readonly value: number; readonly shown: unknown } | undefined {
  if (name === "wallTimeMs") return project.timeoutMs === undefined ? undefined : { value: project.timeoutMs, shown: project.config.timeout };
  if (name === "concurrency" || name === "maxAgents") {
    const value = project.config[name];
    return value === undefined ? undefined : { value, shown: value };
  }
  const value = project.config.limits?.[name];
  return value === undefined ? undefined : { value, shown: value };
}

function raiseAdvice(spec: LimitSpec, userConfigFile: string): string {
  return spec.flag !== undefined ? `pass ${spec.flag} or set it in ${userConfigFile}` : `set it in ${userConfigFile}`;
}

/** Applies the project file to the person's settings by the rules above. */
export function applyProjectTrust(person: PersonSettings, project: ProjectLayer | undefined): TrustedProject {
  const personSandbox = person.sandbox === undefined ? {} : { sandbox: { mode: person.sandbox.mode, network: person.sandbox.network } };
  if (project === undefined) return { limits: person.limits, ...personSandbox, warnings: [] };
  const warnings: string[] = [];
  const { config, file } = project;

  if (config.baseUrl !== undefined) {
    warnings.push(projectWarning(file, "baseUrl", config.baseUrl, "a project file may not choose the server your keys go to; to use it, pass --base-url or set AGENTWF_BASE_URL"));
  }

  const models: { model?: string; agentModel?: string } = {};
  for (const key of ["model", "agentModel"] as const) {
    const spec = config[key];
    if (spec === undefined || person[key] !== undefined) continue;
    try {
      resolveWorkspaceModel(spec, person.access);
      models[key] = spec;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      warnings.push(projectWarning(file, key, spec, error.message));
    }
  }

  const limits: Record<LimitName, number> = { ...person.limits };
  for (const name of LIMIT_NAMES) {
    const proposed = projectLimitValue(name, project);
    if (proposed === undefined || person.limitsFromFlags.has(name)) continue;
    const spec: LimitSpec = LIMITS[name];
    if (proposed.value <= person.limits[name]) {
      limits[name] = proposed.value;
      continue;
    }
    warnings.push(
      projectWarning(
        file,
        spec.configKey,
        proposed.shown,
        `a project file may lower limits, not raise them (yours is ${formatLimit(name, person.limits[name])}); to raise it, ${raiseAdvice(spec, person.userConfigFile)}`,
      ),
    );
  }
  let projectBudget: { projectBudget?: true } = {};
  const budget = project.budget;
  if (budget !== undefined && person.budgetFromFlag !== true) {
    const mine = person.budget;
    if (mine === undefined || (mine.kind === budget.kind && budget.amount <= mine.amount)) projectBudget = { projectBudget: true };
    else {
      warnings.push(
        projectWarning(file, "budget", config.budget, `a project file may lower the budget, not raise it or change its unit (yours is ${mine.shown}); to change it, pass --budget`),
      );
    }
  }
  if (config.tools?.readDotEnv === true) {
    warnings.push(projectWarning(file, "tools.readDotEnv", true, `a project file may not let tools read .env files (their keys would go to the model's server); to allow it, set it in ${person.userConfigFile}`));
  }
  return { ...models, limits, ...projectBudget, ...trustedSandbox(person, project, warnings), warnings };
}

// The sandbox: the project may pick a tighter mode and turn the network off, nothing wider.
function trustedSandbox(person: PersonSettings, project: ProjectLayer, warnings: string[]): Pick<TrustedProject, "sandbox"> {
  const mine = person.sandbox;
  if (mine === undefined) return {};
  const { config, file } = project;
  let mode = mine.mode;
  let network = mine.network;
  if (config.sandbox !== undefined && !mine.modeFromFlag) {
    if (isWithinSandboxMode(config.sandbox, mine.mode)) mode = config.sandbox;
    else warnings.push(projectWarning(file, "sandbox", config.sandbox, `a project file may tighten the sandbox, not widen it (yours is ${mine.mode}); to widen it, pass --sandbox`));
  }
  if (config.network === false && !mine.networkFromFlag) network = false;
  else if (config.network === true && !mine.network) {
    warnings.push(projectWarning(file, "network", true, "a project file may not turn the network on for commands; to allow it, pass --network"));
  }
  return { sandbox: { mode, network } };
}
