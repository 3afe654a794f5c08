// Which models a workflow, an agent file or a project config may pick. The person decides where
// their keys go: by the models they name (-m, --agent-model, AGENTWF_MODEL, their own config, the
// default) and the server they name (--base-url and friends). A model named by anything in the
// workspace may use those, or a hosted provider whose own key variable the person has set, with
// that key only; it can never send a key to a server the person did not configure, such as
// `vllm/x` pointing AGENTWF_API_KEY at 127.0.0.1:8000.
import { ConfigError } from "./config-error.js";
import { PROVIDERS, isProviderId, type ProviderId } from "./providers.js";
import { nonEmpty, resolveModel, type Env, type ModelTarget } from "./resolve-model.js";

export interface ModelAccess {
  readonly env: Env;
  /** The server the person named for every model (personBaseUrl), if any. */
  readonly baseUrl?: string;
  /** The models the person chose; their providers are the ones the person configured. */
  readonly personModels: readonly string[];
}

const providerOf = (spec: string): string | undefined => {
  const id = spec.trim();
  const slash = id.indexOf("/");
  return slash > 0 ? id.slice(0, slash) : undefined;
};

/** The providers the person's own models are on. */
export function personProviders(access: ModelAccess): ReadonlySet<ProviderId> {
  const providers = new Set<ProviderId>();
  for (const spec of access.personModels) {
    const prefix = providerOf(spec);
    if (prefix !== undefined && isProviderId(prefix)) providers.add(prefix);
  }
  return providers;
}

/**
 * Resolves a model named by a workflow, an agent file or a project config, or throws a ConfigError
 * that says which model was refused and how the person can allow it.
 */
export function resolveWorkspaceModel(spec: string, access: ModelAccess): ModelTarget {
  const id = spec.trim();
  // The name ends up in messages on the person's terminal; a workspace gets no control characters there.
  if (!/^[\x21-\x7e]+$/.test(id)) throw new ConfigError("not a model name: write provider/model in printable ASCII");
  // The person's server takes every model, whatever its prefix says: the key goes where they said.
  if (id === "demo" || access.baseUrl !== undefined) return resolveModel(id, access.env, access.baseUrl);
  const prefix = providerOf(id);
  // Unknown providers and bare names fail in resolveModel with its usual message.
  if (prefix === undefined || !isProviderId(prefix)) return resolveModel(id, access.env);
  if (personProviders(access).has(prefix)) return resolveModel(id, access.env);
  const info = PROVIDERS[prefix];
  const ownKey = info.keyEnv === null ? undefined : nonEmpty(access.env[info.keyEnv]);
  if (ownKey !== undefined) {
    const model = id.slice(prefix.length + 1);
    if (model === "") return resolveModel(id, access.env);
    // Only the provider's own key: AGENTWF_API_KEY, OPENAI_API_KEY and LLM_API_KEY belong to the
    // servers the person configured, not to every provider a workflow names.
    return { kind: "remote", id, provider: prefix, model, baseUrl: info.baseUrl, apiKey: ownKey };
  }
  const allow = info.keyEnv === null ? `pass --agent-model ${id} (or -m ${id})` : `set ${info.keyEnv}, or pass --agent-model ${id} (or -m ${id})`;
  // Worded to follow `model "X": ` (the sub-agent's error) and `ignored model "X": ` (a project file).
  throw new ConfigError(`not allowed: it would send requests to ${info.name} at ${info.baseUrl}, a server you did not configure for this run; to allow it, ${allow}`);
}
