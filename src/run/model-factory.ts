// Turns `provider/model` specs into Model instances, once per spec for the whole run, so every
// agent on one server shares one client (and its learned quirks, such as refused parameters).
import { readModelSettings } from "../config/model-settings.js";
import { resolveModel, type Env } from "../config/resolve-model.js";
import { createDemoModel } from "../model/demo-model.js";
import { createOpenAIClient, createOpenAIModel } from "../model/openai-model.js";
import { DEFAULT_RETRY_POLICY } from "../model/retry-policy.js";
import type { Model } from "../model/types.js";

export interface ModelFactoryOptions {
  readonly env: Env;
  readonly baseUrl?: string;
}

export type ModelFactory = (spec: string) => Model;

/** Creates a factory that resolves and caches models; it throws ConfigError for a bad spec. */
export function createModelFactory(options: ModelFactoryOptions): ModelFactory {
  const cache = new Map<string, Model>();
  const settings = readModelSettings(options.env);
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
          });
    cache.set(spec, model);
    return model;
  };
}
