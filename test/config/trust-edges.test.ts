// Project trust and workspace model access at their boundaries: equal values, empty keys, names
// at the edge of printable ASCII, prefixes that are not providers.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { DEFAULT_LIMITS, type LimitName } from "../../src/config/limits.js";
import { personProviders, resolveWorkspaceModel, type ModelAccess } from "../../src/config/model-access.js";
import { applyProjectTrust, projectWarning, type PersonSettings } from "../../src/config/project-trust.js";

const FILE = "/ws/.agentwf/config.json";
const USER_FILE = "/home/me/.config/agentwf/config.json";

function person(extra: Partial<PersonSettings> = {}): PersonSettings {
  return {
    access: { env: { OPENAI_API_KEY: "sk-openai" }, personModels: ["openai/gpt-4o-mini"] },
    limits: DEFAULT_LIMITS,
    limitsFromFlags: new Set<LimitName>(),
    userConfigFile: USER_FILE,
    ...extra,
  };
}

function refusal(spec: string, access: ModelAccess): string {
  try {
    resolveWorkspaceModel(spec, access);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${spec} to be refused`);
}

describe("applyProjectTrust at the boundaries", () => {
  it("takes a limit equal to the person's without a warning", () => {
    const trusted = applyProjectTrust(person(), { file: FILE, config: { concurrency: DEFAULT_LIMITS.concurrency, maxAgents: DEFAULT_LIMITS.maxAgents } });
    expect(trusted).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
  });

  it("takes a timeout equal to the person's, and one a millisecond over is refused", () => {
    const equal = applyProjectTrust(person(), { file: FILE, config: { timeout: "1h" }, timeoutMs: 3_600_000 });
    expect(equal).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
    const over = applyProjectTrust(person(), { file: FILE, config: { timeout: "3600001ms" }, timeoutMs: 3_600_001 });
    expect(over.warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored timeout "3600001ms": a project file may lower limits, not raise them (yours is 1h); to raise it, pass --timeout or set it in ${USER_FILE}`,
    ]);
  });

  it("ignores a timeout written in the file but not given in ms, and takes the other limits", () => {
    expect(applyProjectTrust(person(), { file: FILE, config: { timeout: "1m", maxAgents: 3 } })).toEqual({ limits: { ...DEFAULT_LIMITS, maxAgents: 3 }, warnings: [] });
  });

  it("takes a budget equal to the person's in the same unit, and a lower token budget", () => {
    const mine = { kind: "tokens", amount: 1000, shown: "1,000 tokens" };
    expect(applyProjectTrust(person({ budget: mine }), { file: FILE, config: { budget: "1000 tokens" }, budget: { kind: "tokens", amount: 1000 } })).toEqual({
      limits: DEFAULT_LIMITS,
      projectBudget: true,
      warnings: [],
    });
    expect(applyProjectTrust(person({ budget: mine, budgetFromFlag: false }), { file: FILE, config: { budget: "10 tokens" }, budget: { kind: "tokens", amount: 10 } }).projectBudget).toBe(true);
    const higher = applyProjectTrust(person({ budget: mine }), { file: FILE, config: { budget: "1001 tokens" }, budget: { kind: "tokens", amount: 1001 } });
    expect(higher).toEqual({
      limits: DEFAULT_LIMITS,
      warnings: [`agentwf: warning: ${FILE}: ignored budget "1001 tokens": a project file may lower the budget, not raise it or change its unit (yours is 1,000 tokens); to change it, pass --budget`],
    });
  });

  it("says nothing about budget when the project file has none", () => {
    expect(applyProjectTrust(person({ budget: { kind: "usd", amount: 1, shown: "$1.00" } }), { file: FILE, config: {} })).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
  });

  it("keeps the person's agent model and takes the project's model when only the agent model was named", () => {
    expect(applyProjectTrust(person({ agentModel: "openai/gpt-4o" }), { file: FILE, config: { model: "openai/o3", agentModel: "vllm/x" } })).toEqual({
      model: "openai/o3",
      limits: DEFAULT_LIMITS,
      warnings: [],
    });
  });

  it("writes one warning line with the value shown as JSON", () => {
    expect(projectWarning("f.json", "concurrency", 99, "why")).toBe("agentwf: warning: f.json: ignored concurrency 99: why");
  });
});

describe("resolveWorkspaceModel at the boundaries", () => {
  const access: ModelAccess = { env: { OPENAI_API_KEY: "k-openai" }, personModels: ["openai/gpt-4o-mini"] };

  it("takes names of every printable ASCII character and trims spaces around them", () => {
    expect(resolveWorkspaceModel(" openai/a!~z ", access)).toMatchObject({ kind: "remote", id: "openai/a!~z", model: "a!~z" });
  });

  it("refuses a name with a space, DEL or a character past ASCII inside it", () => {
    const message = "not a model name: write provider/model in printable ASCII";
    expect(refusal("openai/a b", access)).toBe(message);
    expect(refusal("openai/a\u007f", access)).toBe(message);
    expect(refusal("openai/é", access)).toBe(message);
    expect(refusal("   ", access)).toBe(message);
  });

  it("refuses a provider whose key variable is set but empty, naming the variable to set", () => {
    expect(refusal("anthropic/claude", { env: { ANTHROPIC_API_KEY: "" }, personModels: [] })).toBe(
      "not allowed: it would send requests to Anthropic at https://api.anthropic.com/v1, a server you did not configure for this run; to allow it, set ANTHROPIC_API_KEY, or pass --agent-model anthropic/claude (or -m anthropic/claude)",
    );
  });

  it("sends a hosted provider's model with its own key, and leaves an empty model name to resolveModel's message", () => {
    const withKey: ModelAccess = { env: { ANTHROPIC_API_KEY: "k-ant" }, personModels: [] };
    expect(resolveWorkspaceModel("anthropic/claude-x", withKey)).toEqual({
      kind: "remote",
      id: "anthropic/claude-x",
      provider: "anthropic",
      model: "claude-x",
      baseUrl: "https://api.anthropic.com/v1",
      apiKey: "k-ant",
    });
    expect(() => resolveWorkspaceModel("anthropic/", withKey)).toThrow(ConfigError);
  });

  it("counts only provider prefixes the person named as the person's providers", () => {
    expect([...personProviders({ env: {}, personModels: ["openai/a", "demo", "/x", "acme/m", " groq/l ", "vllm/"] })]).toEqual(["openai", "groq", "vllm"]);
  });

  it("sends the demo model and every model on the person's base URL through resolveModel", () => {
    expect(resolveWorkspaceModel("demo", { env: {}, baseUrl: "http://127.0.0.1:9/v1", personModels: [] })).toEqual({ kind: "demo", id: "demo" });
    expect(resolveWorkspaceModel("vllm/x", { env: { AGENTWF_API_KEY: "k" }, baseUrl: "http://127.0.0.1:9/v1", personModels: [] })).toMatchObject({ baseUrl: "http://127.0.0.1:9/v1" });
  });
});

describe("what mutation testing found unguarded in trust", () => {
  it("refuses a smaller budget in another unit", () => {
    const mine = { kind: "usd", amount: 5, shown: "$5.00" };
    expect(applyProjectTrust(person({ budget: mine }), { file: FILE, config: { budget: "1 token" }, budget: { kind: "tokens", amount: 1 } })).toEqual({
      limits: DEFAULT_LIMITS,
      warnings: [`agentwf: warning: ${FILE}: ignored budget "1 token": a project file may lower the budget, not raise it or change its unit (yours is $5.00); to change it, pass --budget`],
    });
  });

  it("reads no provider from a model name without a slash", () => {
    expect([...personProviders({ env: {}, personModels: ["openaix", "groq"] })]).toEqual([]);
  });

  it("never sends a local provider a key, whatever the environment holds", () => {
    expect(refusal("vllm/x", { env: { null: "k", AGENTWF_API_KEY: "k2" }, personModels: [] })).toBe(
      "not allowed: it would send requests to vLLM at http://127.0.0.1:8000/v1, a server you did not configure for this run; to allow it, pass --agent-model vllm/x (or -m vllm/x)",
    );
  });
});
