import { describe, expect, it } from "vitest";
import type { ConfigFile } from "../../src/config/config-file.js";
import { DEFAULT_LIMITS, LIMITS, NESTED_LIMIT_NAMES, type LimitName } from "../../src/config/limits.js";
import { applyProjectTrust, type PersonSettings } from "../../src/config/project-trust.js";

const FILE = "/ws/.agentwf/config.json";
const USER_FILE = "/home/me/.config/agentwf/config.json";

function person(extra: Partial<PersonSettings> = {}): PersonSettings {
  return {
    access: { env: { OPENAI_API_KEY: "sk-openai", AGENTWF_API_KEY: "sk-agentwf" }, personModels: ["openai/gpt-4o-mini"] },
    limits: DEFAULT_LIMITS,
    limitsFromFlags: new Set<LimitName>(),
    userConfigFile: USER_FILE,
    ...extra,
  };
}

const project = (config: ConfigFile, timeoutMs?: number) => ({ file: FILE, config, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });

describe("applyProjectTrust: where requests and keys go", () => {
  it("ignores a project's baseUrl with one warning naming the file, the key and the value", () => {
    const trusted = applyProjectTrust(person(), project({ baseUrl: "http://attacker.example/v1" }));
    expect(trusted.warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored baseUrl "http://attacker.example/v1": a project file may not choose the server your keys go to; to use it, pass --base-url or set AGENTWF_BASE_URL`,
    ]);
    expect(trusted).not.toHaveProperty("baseUrl");
  });

  it("shows a project's baseUrl with its password hidden and its control characters escaped", () => {
    const [warning] = applyProjectTrust(person(), project({ baseUrl: "http://u:secret@attacker.example/v1\u001b]0;x\u0007\u009b" })).warnings;
    expect(warning).toBe(
      `agentwf: warning: ${FILE}: ignored baseUrl "http://u:***@attacker.example/v1\\u001b]0;x\\u0007\\u009b": a project file may not choose the server your keys go to; to use it, pass --base-url or set AGENTWF_BASE_URL`,
    );
  });

  it("takes a project's model on a provider the person configured", () => {
    expect(applyProjectTrust(person(), project({ model: "openai/gpt-4o", agentModel: "openai/gpt-4.1-mini" }))).toEqual({
      model: "openai/gpt-4o",
      agentModel: "openai/gpt-4.1-mini",
      limits: DEFAULT_LIMITS,
      warnings: [],
    });
  });

  it("takes a project's model on a hosted provider whose own key the person set", () => {
    const p = person({ access: { env: { ANTHROPIC_API_KEY: "sk-ant" }, personModels: ["openai/gpt-4o-mini"] } });
    expect(applyProjectTrust(p, project({ model: "anthropic/claude-sonnet-4" })).model).toBe("anthropic/claude-sonnet-4");
  });

  it.each([
    ["model", "vllm/x", "pass --agent-model vllm/x (or -m vllm/x)", "vLLM at http://127.0.0.1:8000/v1"],
    ["agentModel", "groq/llama-3.1-8b", "set GROQ_API_KEY, or pass --agent-model groq/llama-3.1-8b (or -m groq/llama-3.1-8b)", "Groq at https://api.groq.com/openai/v1"],
  ] as const)("ignores a project's %s %s on a provider the person did not configure, saying how to allow it", (key, spec, allow, server) => {
    const trusted = applyProjectTrust(person(), project({ [key]: spec }));
    expect(trusted.warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored ${key} "${spec}": not allowed: it would send requests to ${server}, a server you did not configure for this run; to allow it, ${allow}`,
    ]);
    expect(trusted[key]).toBeUndefined();
  });

  it("says nothing about a project's model when the person named one (theirs wins anyway)", () => {
    const trusted = applyProjectTrust(person({ model: "openai/gpt-4o" }), project({ model: "vllm/x" }));
    expect(trusted).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
  });

  it("takes any model onto the person's own base URL: the key goes where the person said", () => {
    const p = person({ access: { env: { AGENTWF_API_KEY: "k" }, baseUrl: "http://127.0.0.1:9999/v1", personModels: ["openai/gpt-4o-mini"] } });
    expect(applyProjectTrust(p, project({ model: "vllm/x" }))).toMatchObject({ model: "vllm/x", warnings: [] });
  });
});

describe("applyProjectTrust: limits may be lowered, never raised", () => {
  // Every limit in the table, by its config key: one value under the person's, one over.
  const cases = (["concurrency", "maxAgents", ...NESTED_LIMIT_NAMES] as LimitName[]).map((name) => {
    const spec = LIMITS[name];
    const config = (value: number): ConfigFile => (spec.configKey.startsWith("limits.") ? { limits: { [name]: value } } : { [name]: value });
    return { name, key: spec.configKey, config, lower: spec.min, higher: spec.max };
  });

  it.each(cases)("takes a lower $key", ({ name, config, lower }) => {
    const trusted = applyProjectTrust(person(), project(config(lower)));
    expect(trusted.limits).toEqual({ ...DEFAULT_LIMITS, [name]: lower });
    expect(trusted.warnings).toEqual([]);
  });

  it.each(cases)("ignores a higher $key with one warning", ({ name, key, config, higher }) => {
    const trusted = applyProjectTrust(person(), project(config(higher)));
    expect(trusted.limits).toEqual(DEFAULT_LIMITS);
    const spec = LIMITS[name];
    const advice = "flag" in spec ? `pass ${spec.flag} or set it in ${USER_FILE}` : `set it in ${USER_FILE}`;
    expect(trusted.warnings).toHaveLength(1);
    expect(trusted.warnings[0]).toMatch(new RegExp(`^agentwf: warning: ${FILE.replace(/\./g, "\\.")}: ignored ${key.replace(".", "\\.")} ${higher}: a project file may lower limits, not raise them \\(yours is [^)]+\\); to raise it, `));
    expect(trusted.warnings[0]?.endsWith(advice)).toBe(true);
  });

  it("states the memory warning exactly, with the person's value and unit", () => {
    expect(applyProjectTrust(person(), project({ limits: { memoryMb: 4096 } })).warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored limits.memoryMb 4096: a project file may lower limits, not raise them (yours is 128 MiB); to raise it, set it in ${USER_FILE}`,
    ]);
  });

  it("states the CPU time warning exactly", () => {
    expect(applyProjectTrust(person(), project({ limits: { cpuTimeMs: 3_600_000 } })).warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored limits.cpuTimeMs 3600000: a project file may lower limits, not raise them (yours is 1m); to raise it, set it in ${USER_FILE}`,
    ]);
  });

  it("compares a project's timeout, shown as written, with the person's", () => {
    const higher = applyProjectTrust(person(), project({ timeout: "5h" }, 5 * 3_600_000));
    expect(higher.warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored timeout "5h": a project file may lower limits, not raise them (yours is 1h); to raise it, pass --timeout or set it in ${USER_FILE}`,
    ]);
    expect(higher.limits.wallTimeMs).toBe(3_600_000);
    expect(applyProjectTrust(person(), project({ timeout: "10m" }, 600_000)).limits.wallTimeMs).toBe(600_000);
  });

  it("measures against the person's own value, not the default", () => {
    const p = person({ limits: { ...DEFAULT_LIMITS, memoryMb: 512 } });
    expect(applyProjectTrust(p, project({ limits: { memoryMb: 256 } }))).toEqual({ limits: { ...DEFAULT_LIMITS, memoryMb: 256 }, warnings: [] });
  });

  it("leaves a limit set by a flag alone, without a warning", () => {
    const p = person({ limits: { ...DEFAULT_LIMITS, concurrency: 32 }, limitsFromFlags: new Set<LimitName>(["concurrency"]) });
    expect(applyProjectTrust(p, project({ concurrency: 2 }))).toEqual({ limits: { ...DEFAULT_LIMITS, concurrency: 32 }, warnings: [] });
  });

  it("says one line per ignored key, in the order of the table", () => {
    const trusted = applyProjectTrust(person(), project({ baseUrl: "http://a.example/v1", concurrency: 64, limits: { memoryMb: 8192, maxLogBytes: 1024 } }));
    expect(trusted.warnings.map((w) => w.split(": ignored ")[1]?.split(" ")[0])).toEqual(["baseUrl", "concurrency", "limits.memoryMb"]);
    expect(trusted.limits.maxLogBytes).toBe(1024);
  });

  it("returns the person's limits untouched when there is no project file", () => {
    expect(applyProjectTrust(person(), undefined)).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
  });
});

describe("applyProjectTrust: budget", () => {
  const usd = (amount: number) => ({ kind: "usd", amount });
  const withBudget = (config: ConfigFile, budget: { kind: string; amount: number }) => ({ ...project(config), budget });

  it("takes a project's budget where the person has none: a budget only tightens", () => {
    expect(applyProjectTrust(person(), withBudget({ budget: "1.00" }, usd(1)))).toEqual({ limits: DEFAULT_LIMITS, projectBudget: true, warnings: [] });
  });

  it("takes a lower budget in the person's unit", () => {
    const p = person({ budget: { ...usd(5), shown: "$5.00" } });
    expect(applyProjectTrust(p, withBudget({ budget: "1.00" }, usd(1))).projectBudget).toBe(true);
  });

  it.each([
    ["a higher budget", "9.00", usd(9)],
    ["a budget in another unit", "10M-tokens", { kind: "tokens", amount: 10_000_000 }],
  ])("ignores %s with one warning", (_what, written, budget) => {
    const p = person({ budget: { ...usd(5), shown: "$5.00" } });
    expect(applyProjectTrust(p, withBudget({ budget: written }, budget))).toEqual({
      limits: DEFAULT_LIMITS,
      warnings: [`agentwf: warning: ${FILE}: ignored budget "${written}": a project file may lower the budget, not raise it or change its unit (yours is $5.00); to change it, pass --budget`],
    });
  });

  it("leaves a budget set by --budget alone, without a warning", () => {
    const p = person({ budget: { ...usd(5), shown: "$5.00" }, budgetFromFlag: true });
    expect(applyProjectTrust(p, withBudget({ budget: "1.00" }, usd(1)))).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
  });
});
