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

// Control, bidi and invisible characters, and the ones that draw as blank or break lines in a terminal
// (U+2028/2029 end a line for JavaScript but not for the eye), so a person never approves code that
// reads differently from how it runs.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff\u061c\u00ad\u180e\u3164\uffa0\u115f\u1160]/;
const INVISIBLE_GLOBAL = new RegExp(INVISIBLE.source, "g");

/** Whether one character is shown escaped by `escapeInvisible`. */
export function isInvisible(ch: string): boolean {
  return INVISIBLE.test(ch);
}

/** Shows control, bidi and invisible characters visibly (`\x1b`, `\u202e`) so the approved code is what runs. */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE_GLOBAL, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * Makes text from models, files or workflows safe to draw: terminal control sequences and
 * invisible or bidi characters removed (a model's U+202E would reverse the rest of a pane line),
 * tabs as spaces (a tab's width depends on the column, which breaks line fitting).
 */
export function displayText(text: string): string {
  return stripControl(text.replace(/\t/g, "  ")).replace(INVISIBLE_GLOBAL, "");
}

/** Token counts the way a header has room for: 950, 12.3k, 4.1M. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** Dollars with enough digits to show a cheap run's cost. */
export function formatCost(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/** Elapsed time for counters that tick once a second: 7s, 1m05s, 2h03m. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

// A whole control sequence at the start of a string (the forms `stripControl` removes).
// eslint-disable-next-line no-control-regex
const COMPLETE_SEQUENCE = /^(\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(\x07|\x1b\\)|\x1b[^[\]PX^_])/;
const MAX_PENDING = 256;

/**
 * Splits streamed text before a control sequence that is not complete yet, so the rest of it,
 * arriving in the next delta, is stripped with it instead of showing up as "[31m".
 */
export function splitIncompleteEscape(text: string): [ready: string, pending: string] {
  const at = text.lastIndexOf("\x1b");
  if (at < 0 || text.length - at > MAX_PENDING) return [text, ""];
  const rest = text.slice(at);
  return COMPLETE_SEQUENCE.test(rest) ? [text, ""] : [text.slice(0, at), rest];
}
