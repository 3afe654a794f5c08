// Model-call settings from the environment, checked once at the edge.
import { z } from "zod";
import { formatZodIssues } from "../text/zod-issues.js";
import { ConfigError } from "./config-error.js";
import type { Env } from "./resolve-model.js";

export interface ModelSettings {
  /** Tries after the first for 429, 5xx and dropped connections. */
  readonly maxRetries: number;
  /** Longest wait for a response to start, ms. */
  readonly requestTimeoutMs: number;
}

const Settings = z.object({
  AGENTWF_MAX_RETRIES: z.coerce.number().int().min(0).max(20).default(5),
  AGENTWF_REQUEST_TIMEOUT: z.coerce.number().positive().max(3600).default(120),
});

/** Reads AGENTWF_MAX_RETRIES (0-20, default 5) and AGENTWF_REQUEST_TIMEOUT (seconds, default 120). */
export function readModelSettings(env: Env): ModelSettings {
  const parsed = Settings.safeParse({
    AGENTWF_MAX_RETRIES: env.AGENTWF_MAX_RETRIES || undefined,
    AGENTWF_REQUEST_TIMEOUT: env.AGENTWF_REQUEST_TIMEOUT || undefined,
  });
  if (!parsed.success) {
    throw new ConfigError(`${formatZodIssues(parsed.error, { name: (path) => String(path[0]), whole: "environment", most: 1 })}; unset it or give a valid number`);
  }
  return { maxRetries: parsed.data.AGENTWF_MAX_RETRIES, requestTimeoutMs: parsed.data.AGENTWF_REQUEST_TIMEOUT * 1000 };
}
