// Turns `provider/model` specs into Model instances, once per spec for the whole run, so every
// agent on one server shares one client (and its learned quirks, such as refused parameters).
// Every spec goes through the person's model access (config/model-access.ts): a model a workflow or
// an agent file names can use the servers and keys the person configured, never a new one.
import { LIMITS } from "../config/limits.js";
import { resolveWorkspaceModel, type ModelAccess } from "../config/model-access.js";
import { readModelSettings } from "../config/model-settings.js";
import { createAdaptiveLimiter, type AdaptiveLimiter } from "../model/adaptive-limiter.js";
import { createDemoModel } from "../model/demo-model.js";
import { createOpenAIClient, createOpenAIModel } from "../model/openai-model.js";
import { DEFAULT_RETRY_POLICY } from "../model/retry-policy.js";
import type { Model } from "../model/types.js";

export type ModelFactoryOptions = ModelAccess;

export type ModelFactory = (spec: string) => Model;

/** Requests in flight to one server before any 429: as many as the widest --concurrency. */
const MAX_IN_FLIGHT = LIMITS.concurrency.max;

/**
 * fetch refuses a URL with a user name or password in it, so resolve-model.ts takes them out and
 * they travel as HTTP Basic authorization instead, as curl and httpx send such a URL.
 */
function withBasicAuth(basicAuth: string): typeof fetch {
  const header = `Basic ${Buffer.from(basicAuth, "utf8").toString("base64")}`;
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set("authorization", header);
    return fetch(input, { ...init, headers });
  };
}

/** Creates a factory that resolves and caches models; it throws ConfigError for a bad spec. */
export function createModelFactory(options: ModelFactoryOptions): ModelFactory {
  const cache = new Map<string, Model>();
  const settings = readModelSettings(options.env);
  // One limiter per server: models on the same server share its rate limit.
  const limiters = new Map<string, AdaptiveLimiter>();
  const limiterFor = (baseUrl: string) => {
    let limiter = limiters.get(baseUrl);
    if (limiter === undefined) {
      limiter = createAdaptiveLimiter(MAX_IN_FLIGHT);
      limiters.set(baseUrl, limiter);
    }
    return limiter;
  };
  return (spec) => {
    const cached = cache.get(spec);
    if (cached !== undefined) return cached;
    const target = resolveWorkspaceModel(spec, options);
    const model =
      target.kind === "demo"
        ? createDemoModel()
        : createOpenAIModel({
            id: target.id,
            model: target.model,
            client: createOpenAIClient(target.baseUrl, target.apiKey, target.basicAuth !== undefined ? withBasicAuth(target.basicAuth) : undefined),
            retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
            requestTimeoutMs: settings.requestTimeoutMs,
            limiter: limiterFor(target.baseUrl),
          });
    cache.set(spec, model);
    return model;
  };
}
