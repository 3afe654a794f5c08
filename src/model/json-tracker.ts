// Tells whether streamed tool-call arguments already form one complete JSON object or array,
// reading each fragment once. Re-parsing the whole text on every fragment made a 940 KB argument
// in small deltas cost 83 s and 1-2 GB (quadratic); this scanner keeps the nesting depth and
// string state between fragments instead.

export interface JsonTracker {
  feed(fragment: string): void;
  /** Replaces everything fed so far (a server that resent the whole text). */
  reset(text: string): void;
  /** True when the text is `{…}` or `[…]` with balanced brackets and nothing but whitespace after. */
  complete(): boolean;
}

export function createJsonTracker(): JsonTracker {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let closed = false;
  // Anything but whitespace after the closing bracket, or a first character that opens no
  // container: not one complete object.
  let broken = false;

  function feed(fragment: string): void {
    if (broken) return;
    for (let i = 0; i < fragment.length; i += 1) {
      const c = fragment.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 0x5c) escaped = true;
        else if (c === 0x22) inString = false;
        continue;
      }
      const space = c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
      if (closed) {
        if (!space) {
          broken = true;
          return;
        }
        continue;
      }
      if (!started) {
        if (space) continue;
        if (c !== 0x7b && c !== 0x5b) {
          broken = true;
          return;
        }
        started = true;
      }
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth += 1;
      else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (depth === 0) closed = true;
        else if (depth < 0) {
          broken = true;
          return;
        }
      }
    }
  }

  return {
    feed,
    reset(text) {
      depth = 0;
      inString = false;
      escaped = false;
      started = false;
      closed = false;
      broken = false;
      feed(text);
    },
    complete: () => closed && !broken,
  };
}
