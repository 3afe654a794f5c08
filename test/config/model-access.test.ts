import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { resolveWorkspaceModel, type ModelAccess } from "../../src/config/model-access.js";

function refusal(spec: string, access: ModelAccess): string {
  try {
    resolveWorkspaceModel(spec, access);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected ${spec} to be refused`);
}

const openaiRun: ModelAccess = { env: { AGENTWF_API_KEY: "k-agentwf", OPENAI_API_KEY: "k-openai", LLM_API_KEY: "k-llm" }, personModels: ["openai/gpt-4o-mini"] };

describe("resolveWorkspaceModel: a model a workflow or agent file names", () => {
  it("refuses vllm/x when the person did not configure vLLM: AGENTWF_API_KEY never reaches 127.0.0.1:8000", () => {
    expect(refusal("vllm/x", openaiRun)).toBe(
      "not allowed: it would send requests to vLLM at http://127.0.0.1:8000/v1, a server you did not configure for this run; to allow it, pass --agent-model vllm/x (or -m vllm/x)",
    );
  });

  it("refuses a hosted provider whose own key is unset, though AGENTWF_API_KEY and LLM_API_KEY are", () => {
    expect(refusal("anthropic/claude-sonnet-4", openaiRun)).toBe(
      "not allowed: it would send requests to Anthropic at https://api.anthropic.com/v1, a server you did not configure for this run; to allow it, set ANTHROPIC_API_KEY, or pass --agent-model anthropic/claude-sonnet-4 (or -m anthropic/claude-sonnet-4)",
    );
  });

  it("sends a hosted provider only its own key when the person set that key", () => {
    expect(resolveWorkspaceModel("groq/llama-3.1-8b", { ...openaiRun, env: { ...openaiRun.env, GROQ_API_KEY: "k-groq" } })).toEqual({
      kind: "remote",
      id: "groq/llama-3.1-8b",
      provider: "groq",
      model: "llama-3.1-8b",
      baseUrl: "https://api.groq.com/openai/v1",
      apiKey: "k-groq",
    });
  });

  it("resolves another model of the person's own provider as the person's model would (AGENTWF_API_KEY first)", () => {
    expect(resolveWorkspaceModel("openai/gpt-4o", openaiRun)).toMatchObject({ baseUrl: "https://api.openai.com/v1", apiKey: "k-agentwf", model: "gpt-4o" });
  });

  it("allows a local provider the person chose with --agent-model", () => {
    expect(resolveWorkspaceModel("vllm/other", { ...openaiRun, personModels: ["openai/gpt-4o-mini", "vllm/x"] })).toMatchObject({
      baseUrl: "http://127.0.0.1:8000/v1",
      provider: "vllm",
    });
  });

  it("sends every model to the person's own base URL, whatever its provider prefix", () => {
    expect(resolveWorkspaceModel("vllm/x", { ...openaiRun, baseUrl: "http://127.0.0.1:4000/v1" })).toMatchObject({
      baseUrl: "http://127.0.0.1:4000/v1",
      model: "x",
      apiKey: "k-agentwf",
    });
  });

  it("allows the offline demo model always", () => {
    expect(resolveWorkspaceModel("demo", { env: {}, personModels: [] })).toEqual({ kind: "demo", id: "demo" });
  });

  it("refuses a model name with control characters before it reaches any message", () => {
    expect(refusal("vllm/\u001b]0;x\u0007", openaiRun)).toBe("not a model name: write provider/model in printable ASCII");
  });

  it("keeps resolveModel's message for an unknown provider", () => {
    expect(refusal("acme/m", openaiRun)).toMatch(/^unknown provider "acme" in model "acme\/m"/);
  });
});
