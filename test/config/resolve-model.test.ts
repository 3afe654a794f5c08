import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { personBaseUrl, resolveModel, type Env, type ModelTarget } from "../../src/config/resolve-model.js";

// Narrows to the remote variant so each test can read baseUrl, apiKey and model directly.
function remote(spec: string, env: Env, baseUrlFlag?: string): Extract<ModelTarget, { kind: "remote" }> {
  const target = resolveModel(spec, env, baseUrlFlag);
  if (target.kind !== "remote") throw new Error(`expected a remote target for ${spec}, got ${target.kind}`);
  return target;
}

// The thrown ConfigError's message, or a failure if nothing (or something else) was thrown.
function configErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

const openaiKey: Env = { OPENAI_API_KEY: "sk-openai" };

describe("resolveModel: demo", () => {
  it('resolves "demo" to the offline demo model without needing a key or a server', () => {
    expect(resolveModel("demo", {})).toEqual({ kind: "demo", id: "demo" });
  });

  it('resolves " demo " with surrounding spaces to the demo model', () => {
    expect(resolveModel(" demo ", {})).toEqual({ kind: "demo", id: "demo" });
  });

  it("rejects an empty model spec with a message that suggests -m provider/model or -m demo", () => {
    expect(configErrorOf(() => resolveModel("  ", openaiKey))).toBe(
      "no model given: pass -m provider/model (for example -m openai/gpt-4o-mini) or -m demo",
    );
  });
});

describe("resolveModel: base URL precedence", () => {
  const allBases: Env = {
    ...openaiKey,
    AGENTWF_BASE_URL: "http://agentwf.example/v1",
    OPENAI_BASE_URL: "http://openai-base.example/v1",
  };

  it("uses the provider table's base URL when no override is set", () => {
    expect(remote("groq/llama-3.1-8b", { GROQ_API_KEY: "k" }).baseUrl).toBe("https://api.groq.com/openai/v1");
  });

  it("prefers OPENAI_BASE_URL over the provider table", () => {
    expect(remote("openai/gpt-4o", { ...openaiKey, OPENAI_BASE_URL: "http://openai-base.example/v1" }).baseUrl).toBe(
      "http://openai-base.example/v1",
    );
  });

  it("prefers AGENTWF_BASE_URL over OPENAI_BASE_URL", () => {
    expect(remote("openai/gpt-4o", allBases).baseUrl).toBe("http://agentwf.example/v1");
  });

  it("prefers the --base-url flag over AGENTWF_BASE_URL and OPENAI_BASE_URL", () => {
    expect(remote("openai/gpt-4o", allBases, "http://flag.example/v1").baseUrl).toBe("http://flag.example/v1");
  });

  it("treats a blank --base-url and a blank AGENTWF_BASE_URL as unset", () => {
    const env: Env = { ...openaiKey, AGENTWF_BASE_URL: "  ", OPENAI_BASE_URL: "http://openai-base.example/v1" };
    expect(remote("openai/gpt-4o", env, " ").baseUrl).toBe("http://openai-base.example/v1");
  });

  it("keeps the provider and strips its prefix from the model name when a base URL override is set", () => {
    const target = remote("openai/gpt-4o", openaiKey, "http://proxy.example/v1");
    expect(target).toEqual({
      kind: "remote",
      id: "openai/gpt-4o",
      provider: "openai",
      model: "gpt-4o",
      baseUrl: "http://proxy.example/v1",
      apiKey: "sk-openai",
    });
  });

  it("rejects a base URL that does not parse, naming it and showing the expected shape", () => {
    expect(configErrorOf(() => resolveModel("openai/gpt-4o", openaiKey, "not a url"))).toBe(
      'base URL "not a url" is not an http(s) URL: pass one like http://127.0.0.1:8000/v1',
    );
  });

  it('rejects a base URL without http:// ("localhost:8000" parses with "localhost:" as its scheme)', () => {
    expect(configErrorOf(() => resolveModel("openai/gpt-4o", openaiKey, "localhost:8000/v1"))).toBe(
      'base URL "localhost:8000/v1" is not an http(s) URL: pass one like http://127.0.0.1:8000/v1',
    );
  });
});

describe("resolveModel: API key precedence", () => {
  const allKeys: Env = {
    AGENTWF_API_KEY: "k-agentwf",
    ANTHROPIC_API_KEY: "k-anthropic",
    OPENAI_API_KEY: "k-openai",
    LLM_API_KEY: "k-llm",
  };
  const without = (...names: string[]): Env =>
    Object.fromEntries(Object.entries(allKeys).filter(([name]) => !names.includes(name)));

  it("prefers AGENTWF_API_KEY over every other key variable", () => {
    expect(remote("anthropic/claude-sonnet-4", allKeys).apiKey).toBe("k-agentwf");
  });

  it("uses the provider's own key variable when AGENTWF_API_KEY is unset", () => {
    expect(remote("anthropic/claude-sonnet-4", without("AGENTWF_API_KEY")).apiKey).toBe("k-anthropic");
  });

  it("never sends OPENAI_API_KEY to another hosted provider whose own variable is unset", () => {
    expect(remote("anthropic/claude-sonnet-4", without("AGENTWF_API_KEY", "ANTHROPIC_API_KEY")).apiKey).toBe("k-llm");
    expect(configErrorOf(() => resolveModel("anthropic/claude-sonnet-4", { OPENAI_API_KEY: "k-openai" }))).toBe(
      "no API key for Anthropic: set ANTHROPIC_API_KEY (or AGENTWF_API_KEY), or run offline with -m demo",
    );
  });

  it("sends OPENAI_API_KEY to OpenAI and to a server named with --base-url", () => {
    expect(remote("openai/gpt-4o-mini", { OPENAI_API_KEY: "k-openai" }).apiKey).toBe("k-openai");
    expect(resolveModel("anthropic/claude-sonnet-4", { OPENAI_API_KEY: "k-openai" }, "https://proxy.example/v1")).toMatchObject({ apiKey: "k-openai" });
  });

  it("falls back to LLM_API_KEY last", () => {
    expect(remote("anthropic/claude-sonnet-4", { LLM_API_KEY: "k-llm" }).apiKey).toBe("k-llm");
  });

  it("treats a blank AGENTWF_API_KEY as unset and trims the key it uses", () => {
    expect(remote("anthropic/claude-sonnet-4", { AGENTWF_API_KEY: " ", ANTHROPIC_API_KEY: " k-anthropic\n" }).apiKey).toBe(
      "k-anthropic",
    );
  });

  it("names the provider's key variable, AGENTWF_API_KEY and -m demo when a hosted provider has no key", () => {
    expect(configErrorOf(() => resolveModel("anthropic/claude-sonnet-4", {}))).toBe(
      "no API key for Anthropic: set ANTHROPIC_API_KEY (or AGENTWF_API_KEY), or run offline with -m demo",
    );
  });
});

describe("resolveModel: providers and model names", () => {
  it("names the unknown provider and lists the known ones", () => {
    expect(configErrorOf(() => resolveModel("acme/model-1", openaiKey))).toBe(
      'unknown provider "acme" in model "acme/model-1": use one of openai, anthropic, gemini, openrouter, groq, deepseek, mistral, together, xai, ollama, lmstudio, vllm, or pass --base-url for another OpenAI-compatible server',
    );
  });

  it("rejects a bare model name without a base URL and shows it written as provider/model", () => {
    expect(configErrorOf(() => resolveModel("gpt-4o", openaiKey))).toBe(
      'model "gpt-4o" names no provider: write it as provider/model (for example openai/gpt-4o), or pass --base-url',
    );
  });

  it("rejects a provider with nothing after the slash", () => {
    expect(configErrorOf(() => resolveModel("openai/", openaiKey))).toBe(
      'model "openai/" has no model name after the provider: write it as openai/MODEL',
    );
  });

  it("keeps everything after the first slash as the model name (OpenRouter's org/model)", () => {
    expect(remote("openrouter/meta-llama/llama-3-8b", { OPENROUTER_API_KEY: "k" }).model).toBe("meta-llama/llama-3-8b");
  });

  it.each(["ollama", "lmstudio", "vllm"] as const)("resolves local provider %s without a key, sending the placeholder key", (provider) => {
    const target = remote(`${provider}/some-model`, {});
    expect(target.provider).toBe(provider);
    expect(target.apiKey).toBe("no-key");
  });

  it("resolves a bare model name against a custom base URL as the custom provider, with no key needed", () => {
    expect(resolveModel("llama3", {}, "http://10.0.0.5:8000/v1")).toEqual({
      kind: "remote",
      id: "llama3",
      provider: "custom",
      model: "llama3",
      baseUrl: "http://10.0.0.5:8000/v1",
      apiKey: "no-key",
    });
  });

  it('keeps an "org/model" name whole when the org is not a provider and a custom base URL is set', () => {
    const target = remote("meta-llama/Llama-3-8B", { AGENTWF_BASE_URL: "http://127.0.0.1:8000/v1", LLM_API_KEY: "k-llm" });
    expect(target).toMatchObject({ provider: "custom", model: "meta-llama/Llama-3-8B", apiKey: "k-llm" });
  });
});

describe("personBaseUrl: the server the person named", () => {
  const env: Env = { AGENTWF_BASE_URL: "http://agentwf.example/v1", OPENAI_BASE_URL: "http://openai-base.example/v1" };

  it("prefers --base-url over everything", () => {
    expect(personBaseUrl(env, "http://flag.example/v1", "http://user-config.example/v1")).toBe("http://flag.example/v1");
  });

  it("prefers AGENTWF_BASE_URL over OPENAI_BASE_URL and the person's config", () => {
    expect(personBaseUrl(env, undefined, "http://user-config.example/v1")).toBe("http://agentwf.example/v1");
  });

  it("prefers OPENAI_BASE_URL over the person's config", () => {
    expect(personBaseUrl({ OPENAI_BASE_URL: "http://openai-base.example/v1" }, undefined, "http://user-config.example/v1")).toBe("http://openai-base.example/v1");
  });

  it("falls back to the person's config, then to none (the provider table)", () => {
    expect(personBaseUrl({}, undefined, "http://user-config.example/v1")).toBe("http://user-config.example/v1");
    expect(personBaseUrl({ AGENTWF_BASE_URL: " " }, " ", undefined)).toBeUndefined();
  });
});

describe("resolveModel: credentials in a base URL", () => {
  it("takes user and password out of the URL (fetch refuses them) and keeps them for Basic authorization", () => {
    expect(resolveModel("openai/gpt-4o", {}, "http://me:p%40ss@127.0.0.1:9/v1")).toEqual({
      kind: "remote",
      id: "openai/gpt-4o",
      provider: "openai",
      model: "gpt-4o",
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "no-key",
      basicAuth: "me:p@ss",
    });
  });

  it("hides the password when the URL is refused", () => {
    expect(configErrorOf(() => resolveModel("openai/gpt-4o", openaiKey, "ftp://me:secret@host/v1"))).toBe(
      'base URL "ftp://me:***@host/v1" is not an http(s) URL: pass one like http://127.0.0.1:8000/v1',
    );
  });
});
