// grep's patterns run on RE2 semantics (the re2js port): matching takes time linear in the line,
// whatever the pattern. A backtracking engine (JavaScript's RegExp) spends exponential time on
// `^(a+)+$` against "aaaa…b", synchronously, so no signal, timeout or Ctrl-C can get in; a pattern
// comes from a model that may have read a hostile file, so it must not be able to do that.
// Chosen over the native `re2` package (a node-gyp build or a prebuilt download at install time,
// which fails offline and per platform) and over ripgrep (not on every PATH, and one engine keeps
// results the same everywhere).
import { RE2JS, RE2JSSyntaxException } from "re2js";
import { boundedMemo } from "../workspace/bounded-memo.js";

export interface LinePattern {
  /** Whether `line` holds a match: RE2's DFA alone, several times cheaper than finding where. */
  test(line: string): boolean;
  /** Index of the first match in `line`, or -1. */
  firstMatch(line: string): number;
}

export type CompiledPattern = { readonly ok: true; readonly pattern: LinePattern } | { readonly ok: false; readonly error: string };

const compileMemo = boundedMemo(32, (key) => compileUncached(key.slice(1), key.startsWith("i")));

// Compiles `source` for line matching, or explains what RE2 does not support and what to do instead.
export function compileLinePattern(source: string, ignoreCase: boolean): CompiledPattern {
  return compileMemo(`${ignoreCase ? "i" : "c"}${source}`);
}

function compileUncached(source: string, ignoreCase: boolean): CompiledPattern {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    const reason = error instanceof RE2JSSyntaxException ? error.message : String(error);
    return { ok: false, error: `pattern is not a valid RE2 regular expression (${reason}); ${unsupportedHint(source)}` };
  }
  return {
    ok: true,
    pattern: {
      test: (line) => compiled.test(line),
      firstMatch(line) {
        const matcher = compiled.matcher(line);
        return matcher.find() ? matcher.start() : -1;
      },
    },
  };
}

function unsupportedHint(source: string): string {
  if (/\(\?<?[=!]/.test(source)) {
    return "grep matches in linear time and has no lookahead or lookbehind: match the text itself and filter the lines, or run two searches";
  }
  if (/\\[1-9]/.test(source) || /\\k</.test(source)) {
    return "grep matches in linear time and has no backreferences (\\1): spell out the repeated text, or search for one part and read the lines";
  }
  return "escape characters such as ( ) [ ] { } . * + ? \\ with a backslash to match them literally";
}
