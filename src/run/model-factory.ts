// Turns `provider/model` specs into Model instances, once per spec for the whole run, so every
// agent on one server shares one client (and its learned quirks, such as refused parameters).
import { readModelSettings } from "../config/model-settings.js";
import { resolveModel, type Env } from "../config/resolve-model.js";
import { createAdaptiveLimiter, type AdaptiveLimiter } from "../model/adaptive-limiter.js";
import { createDemoModel } from "../model/demo-model.js";
import { createOpenAIClient, createOpenAIModel } from "../model/openai-model.js";
import { DEFAULT_RETRY_POLICY } from "../model/retry-policy.js";
import type { Model } from "../model/types.js";

export interface ModelFactoryOptions {
  readonly env: Env;
  readonly baseUrl?: string;
}

export type ModelFactory = (spec: string) => Model;

/** Requests in flight to one server before any 429 (the concurrency flag caps sub-agents below this). */
const MAX_IN_FLIGHT = 64;

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
    const target = resolveModel(spec, options.env, options.baseUrl);
    const model =
      target.kind === "demo"
        ? createDemoModel()
        : createOpenAIModel({
            id: target.id,
            model: target.model,
            client: createOpenAIClient(target.baseUrl, target.apiKey),
            retry: { ...DEFAULT_RETRY_POLICY, maxRetries: settings.maxRetries },
            requestTimeoutMs: settings.requestTimeoutMs,
            limiter: limiterFor(target.baseUrl),
          });
    cache.set(spec, model);
    return model;
  };
}
