import { redactUrlCredentials } from "../text/url-credentials.js";
import { ConfigError } from "./config-error.js";
import { PROVIDER_IDS, PROVIDERS, isProviderId, type ProviderId } from "./providers.js";

/** Where one model lives: everything the model client needs to reach it. */
export type ModelTarget =
  | { readonly kind: "demo"; readonly id: "demo" }
  | {
      readonly kind: "remote";
      /** What the person typed, for messages and the report header. */
      readonly id: string;
      readonly provider: ProviderId | "custom";
      /** The model name sent to the server. */
      readonly model: string;
      /** Without any user name or password: fetch refuses a URL that carries them. */
      readonly baseUrl: string;
      readonly apiKey: string;
      /**
       * `user:password` from a base URL written as http://user:password@host/v1, sent as HTTP
       * Basic authorization in place of the key (as curl and httpx do with such a URL).
       */
      readonly basicAuth?: string;
    };

export type Env = Readonly<Record<string, string | undefined>>;

/** A variable's value trimmed, or undefined when unset or blank. */
export const nonEmpty = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== "" ? value.trim() : undefined;

/**
 * The server the person named for every model, if any: `--base-url`, then AGENTWF_BASE_URL, then
 * OPENAI_BASE_URL, then `baseUrl` in the person's own config file. A project file never gets a say
 * (project-trust.ts): the base URL decides where the keys go.
 */
export function personBaseUrl(env: Env, flag?: string, userConfig?: string): string | undefined {
  return nonEmpty(flag) ?? nonEmpty(env.AGENTWF_BASE_URL) ?? nonEmpty(env.OPENAI_BASE_URL) ?? nonEmpty(userConfig);
}

/** Splits `http://user:pass@host/v1` into the URL fetch accepts and the credentials; checks the scheme. */
function splitBaseUrl(baseUrl: string): { readonly url: string; readonly basicAuth?: string } {
  // `new URL("localhost:8000")` parses, with "localhost:" as its scheme, so the scheme is checked too.
  const parsed = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined;
  if (parsed === undefined || !/^https?:$/.test(parsed.protocol)) {
    throw new ConfigError(`base URL ${JSON.stringify(redactUrlCredentials(baseUrl))} is not an http(s) URL: pass one like http://127.0.0.1:8000/v1`);
  }
  if (parsed.username === "" && parsed.password === "") return { url: baseUrl };
  const basicAuth = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.href, basicAuth };
}

/**
 * Resolves `provider/model` (or a bare model name with an explicit base URL) to a server and key,
 * for a model the person chose (model-access.ts decides for models a workflow or agent file names).
 * Precedence, highest first: `--base-url`, AGENTWF_BASE_URL, OPENAI_BASE_URL (personBaseUrl also
 * puts the person's config file last), the provider's table entry; AGENTWF_API_KEY, the provider's
 * own key variable, OPENAI_API_KEY (for OpenAI or an explicit server only), LLM_API_KEY.
 * The explicit overrides win so that one flag points any model at a proxy or a local server.
 */
export function resolveModel(spec: string, env: Env, baseUrlFlag?: string): ModelTarget {
  const id = spec.trim();
  if (id === "demo") return { kind: "demo", id: "demo" };
  if (id === "") throw new ConfigError("no model given: pass -m provider/model (for example -m openai/gpt-4o-mini) or -m demo");

  const baseOverride = nonEmpty(baseUrlFlag) ?? nonEmpty(env.AGENTWF_BASE_URL) ?? nonEmpty(env.OPENAI_BASE_URL);
  const slash = id.indexOf("/");
  const prefix = slash > 0 ? id.slice(0, slash) : undefined;

  let provider: ProviderId | "custom";
  let model: string;
  if (prefix !== undefined && isProviderId(prefix)) {
    provider = prefix;
    model = id.slice(slash + 1);
  } else if (baseOverride !== undefined) {
    // With an explicit server, the whole spec is the server's model name ("meta-llama/Llama-3-8B").
    provider = "custom";
    model = id;
  } else if (prefix !== undefined) {
    throw new ConfigError(
      `unknown provider "${prefix}" in model "${id}": use one of ${PROVIDER_IDS.join(", ")}, or pass --base-url for another OpenAI-compatible server`,
    );
  } else {
    throw new ConfigError(
      `model "${id}" names no provider: write it as provider/model (for example openai/${id}), or pass --base-url`,
    );
  }
  if (model === "") throw new ConfigError(`model "${id}" has no model name after the provider: write it as ${prefix}/MODEL`);

  const info = provider === "custom" ? undefined : PROVIDERS[provider];
  const server = baseOverride ?? info?.baseUrl;
  if (server === undefined) throw new ConfigError(`no server for model "${id}": pass --base-url`);
  const { url: baseUrl, basicAuth } = splitBaseUrl(server);
  const auth = basicAuth !== undefined ? { basicAuth } : {};

  const keyEnv = info?.keyEnv ?? null;
  // OPENAI_API_KEY is OpenAI's secret: it goes to OpenAI, or to a server the person named
  // (--base-url and friends), never to another hosted provider whose own variable is unset.
  const openaiKeyAllowed = provider === "openai" || provider === "custom" || baseOverride !== undefined;
  const apiKey =
    nonEmpty(env.AGENTWF_API_KEY) ??
    (keyEnv !== null ? nonEmpty(env[keyEnv]) : undefined) ??
    (openaiKeyAllowed ? nonEmpty(env.OPENAI_API_KEY) : undefined) ??
    nonEmpty(env.LLM_API_KEY);
  if (apiKey === undefined) {
    const isLocal = keyEnv === null || /^https?:\/\/(127\.|localhost|\[::1\])/.test(baseUrl);
    // Local servers (Ollama, vLLM, LM Studio) take any key; the SDK still wants a non-empty one.
    if (isLocal || baseOverride !== undefined) return { kind: "remote", id, provider, model, baseUrl, apiKey: "no-key", ...auth };
    throw new ConfigError(
      `no API key for ${info?.name ?? provider}: set ${keyEnv ?? "AGENTWF_API_KEY"} (or AGENTWF_API_KEY), or run offline with -m demo`,
    );
  }
  return { kind: "remote", id, provider, model, baseUrl, apiKey, ...auth };
}
