// Text that came out of the isolate (errors, logs, descriptions) is untrusted: it must not drive
// a terminal (escape sequences) or read differently from what it is (bidi and invisible
// characters), and it must be bounded.

// eslint-disable-next-line no-control-regex
const TERMINAL_SEQUENCES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(\x07|\x1b\\)|\x1b.?|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
const HIDDEN = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad\u2028\u2029\u{e0000}-\u{e007f}]/gu;

/** Strips control sequences and hidden characters, and cuts to `max` characters. */
export function cleanUntrusted(text: string, max = 2000): string {
  const clean = text.replace(TERMINAL_SEQUENCES, "").replace(HIDDEN, "");
  return clean.length > max ? `${clean.slice(0, max)}… (${clean.length - max} more characters)` : clean;
}

/** Shows hidden and control characters as escapes (`\u202e`), for messages that quote code. */
export function escapeHidden(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad\u2028\u2029]|[\u{e0000}-\u{e007f}]/gu, (ch) => {
    const point = ch.codePointAt(0) ?? 0;
    return point > 0xffff ? `\\u{${point.toString(16)}}` : `\\u${point.toString(16).padStart(4, "0")}`;
  });
}
