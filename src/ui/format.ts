// Small formatters shared by the renderers.
import type { Usage } from "../events.js";

export function formatDurationMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
}

export function formatUsage(usage: Usage): string {
  const tokens = `${(usage.inputTokens + usage.outputTokens).toLocaleString("en-US")} tokens`;
  return usage.costUsd !== undefined && usage.costUsd > 0 ? `${tokens} · $${usage.costUsd.toFixed(4)}` : tokens;
}

/** Removes terminal control sequences from text that came from models, files or workflow code. */
export function stripControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(\x07|\x1b\\)|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, "");
}

/** Shows control, bidi and invisible characters visibly (`\x1b`, `\u202e`) so the approved code is what runs. */
export function escapeInvisible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
