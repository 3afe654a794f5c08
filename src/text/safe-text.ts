// Text that came from models, servers, files or workflows, made safe for a person: stripped for a
// terminal (escape sequences whole, then every character of the table), or shown escaped where the
// exact text matters (code a person approves). One table, characters.ts, decides for both.
import { characterKind, escapeCodePoint, unsafeCharacterPattern } from "./characters.js";

// Where an 8-bit (C1) or 7-bit control string may start; its payload stops at any of them, so a
// string that never ends costs one scan to the next introducer, not one to the end per introducer.
const STRING_STOP = "\\x07\\x1b\\x90\\x98\\x9c-\\x9f";

// Escape sequences as ECMA-48 draws them, removed whole so no payload (a window title, a link's
// address, an OSC 52 clipboard write) is left behind:
const SEQUENCE = new RegExp(
  [
    // CSI (colours, cursor moves, erase), 7-bit and 8-bit: parameters, intermediates, final byte.
    "(?:\\x1b\\[|\\x9b)[0-?]*[ -/]*[@-~]",
    // OSC, DCS, SOS, PM, APC: a payload ended by BEL or ST (ESC \ or U+009C).
    `(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^${STRING_STOP}]*(?:\\x07|\\x1b\\\\|\\x9c)`,
    // Every other escape: ESC, intermediates, a final byte (ESC c resets the terminal, ESC ( 0 switches
    // to line drawing). An unended string loses only its introducer here; the rest is plain text.
    "\\x1b[ -/]*[0-~]",
  ].join("|"),
  "g",
);

const UNSAFE = unsafeCharacterPattern();

/** For a terminal: escape sequences and every character of the table removed; newlines and tabs kept. */
export function stripForTerminal(text: string): string {
  return text.replace(SEQUENCE, "").replace(UNSAFE, "");
}

/** For display where every character counts: each character of the table written as `\x1b`, `\u202e`, `\u{e0041}`. */
export function escapeForDisplay(text: string): string {
  return text.replace(UNSAFE, (ch) => escapeCodePoint(ch.codePointAt(0) ?? 0));
}

/** Whether one character (one code point) is in the table. */
export function isUnsafeCharacter(ch: string): boolean {
  return characterKind(ch.codePointAt(0) ?? 0) !== undefined;
}

/**
 * JSON text with the table's characters written as `\uXXXX`: the same value for the program that
 * parses it, nothing a terminal obeys for the person who looks at it. JSON.stringify escapes C0
 * itself but leaves DEL, C1 and the bidi characters raw.
 */
export function escapeJsonText(json: string): string {
  return json.replace(UNSAFE, (ch) => {
    let out = "";
    for (let i = 0; i < ch.length; i += 1) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, "0")}`;
    return out;
  });
}

/** Cuts text to `max` characters, saying how many were left out. */
export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

/** Text from an untrusted source for a message: stripped, then cut to `max` characters. */
export function cleanUntrusted(text: string, max = 2000): string {
  return clipText(stripForTerminal(text), max);
}

// The longest unfinished sequence a stream holds back; past it the introducer is let go and
// stripped, and what followed it shows as plain text (a stream must not stall on a stray ESC).
export const MAX_HELD_BACK = 256;

// Unfinished forms, each anchored to the end of the text: ESC alone or with intermediates, a CSI
// without its final byte, a control string without its terminator (perhaps half of ESC \).
const UNFINISHED = [
  /^\x1b[ -/]*$/,
  /^(?:\x1b\[|\x9b)[0-?]*[ -/]*$/,
  new RegExp(`^(?:\\x1b[\\]PX^_]|[\\x90\\x98\\x9d\\x9e\\x9f])[^${STRING_STOP}]*\\x1b?$`),
];
const INTRODUCER = /[\x1b\x90\x98\x9b\x9d\x9e\x9f]/;

/**
 * Splits streamed text before an escape sequence that is not complete yet, so its rest, arriving
 * with the next delta, is stripped with it instead of showing up as "[31m". Holds back at most
 * MAX_HELD_BACK characters.
 */
export function splitIncompleteEscape(text: string): [ready: string, pending: string] {
  for (let at = Math.max(0, text.length - MAX_HELD_BACK); at < text.length; at += 1) {
    if (!INTRODUCER.test(text[at] ?? "")) continue;
    const rest = text.slice(at);
    if (UNFINISHED.some((pattern) => pattern.test(rest))) return [text.slice(0, at), rest];
  }
  return [text, ""];
}
