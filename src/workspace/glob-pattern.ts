// Glob patterns compiled to RE2 (re2js), so matching a path takes time linear in its length. The
// usual matchers (picomatch, minimatch) emit JavaScript regexes with lookarounds and lazy
// quantifiers that backtrack: picomatch took 7 s to test `*a*a*a*ab` against one 250-character
// file name, synchronously, past every signal; a file name is the repository's to choose and the
// pattern may come from a model that read a hostile file. None emits lookaround-free regexes with
// glob's segment rules (glob-to-regexp lets `?` match "/" and reads `[!a]` as a literal "!"), so
// the translation is here: *, **, ?, [...] and [!...], {a,b} (nested), and the extglobs
// @(a|b) ?(a) +(a) *(a). A negated extglob !(a) has no linear-time form and is refused.
import { RE2JS } from "re2js";
import { boundedMemo } from "./bounded-memo.js";

export type CompiledGlob = { readonly ok: true; readonly test: (path: string) => boolean } | { readonly ok: false; readonly error: string };

class GlobSyntaxError extends Error {}

const PLAIN = /[A-Za-z0-9_\-/ ]/;

function literal(char: string): string {
  // Everything but letters, digits and a few safe characters is escaped; RE2 accepts `\` before
  // any punctuation. Other code points (non-ASCII) stand for themselves.
  if (PLAIN.test(char) || char.charCodeAt(0) > 0x7f) return char;
  return `\\${char}`;
}

// Index of the bracket closing the group opened at `open`, honouring nesting and escapes; -1 if none.
function closing(pattern: string, open: number, openChar: string, closeChar: string): number {
  let depth = 0;
  for (let index = open; index < pattern.length; index += 1) {
    const char = pattern[index];
    if (char === "\\") index += 1;
    else if (char === openChar) depth += 1;
    else if (char === closeChar && (depth -= 1) === 0) return index;
  }
  return -1;
}

// Splits a group's body on `separator` at its own nesting level.
function splitTop(body: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index];
    if (char === "\\") index += 1;
    else if (char === "{" || char === "(" || char === "[") depth += 1;
    else if (char === "}" || char === ")" || char === "]") depth -= 1;
    else if (char === separator && depth === 0) {
      parts.push(body.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(body.slice(start));
  return parts;
}

function characterClass(body: string): string {
  let negated = false;
  let rest = body;
  if (rest.startsWith("!") || rest.startsWith("^")) {
    negated = true;
    rest = rest.slice(1);
  }
  let out = "";
  for (let index = 0; index < rest.length; index += 1) {
    const char = rest[index] ?? "";
    if (char === "\\" && index + 1 < rest.length) {
      index += 1;
      out += `\\${rest[index]}`;
    } else if (char === "-" && index > 0 && index < rest.length - 1) out += "-";
    else out += /[A-Za-z0-9]/.test(char) || char.charCodeAt(0) > 0x7f ? char : `\\${char}`;
  }
  // A class never matches the separator, as in every glob.
  return negated ? `[^/${out}]` : `[${out}]`;
}

function translate(pattern: string): string {
  let out = "";
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? "";
    const next = pattern[index + 1];
    if (char === "\\") {
      if (next !== undefined) out += literal(next);
      index += 1;
    } else if (char === "*" && next === "*") {
      let end = index;
      while (pattern[end] === "*") end += 1;
      const wholeSegment = (index === 0 || pattern[index - 1] === "/") && (end === pattern.length || pattern[end] === "/");
      if (wholeSegment && pattern[end] === "/") {
        out += "(?:[^/]*/)*"; // any number of directories, none included
        index = end; // the "/" is part of it
      } else if (wholeSegment) {
        out += ".*";
        index = end - 1;
      } else {
        out += "[^/]*";
        index = end - 1;
      }
    } else if ("@?+*!".includes(char) && next === "(" && closing(pattern, index + 1, "(", ")") !== -1) {
      if (char === "!") throw new GlobSyntaxError("the negated extglob !(…) is not supported; match more broadly and leave out what you do not need");
      const end = closing(pattern, index + 1, "(", ")");
      const alternatives = splitTop(pattern.slice(index + 2, end), "|").map(translate).join("|");
      out += `(?:${alternatives})${char === "@" ? "" : char}`;
      index = end;
    } else if (char === "*") {
      out += "[^/]*";
    } else if (char === "?") {
      out += "[^/]";
    } else if (char === "[") {
      // "]" right after "[" or "[!" is a member, not the end.
      const bodyStart = pattern[index + 1] === "!" || pattern[index + 1] === "^" ? index + 2 : index + 1;
      const end = pattern.indexOf("]", bodyStart + 1);
      if (end === -1) out += "\\[";
      else {
        out += characterClass(pattern.slice(index + 1, end));
        index = end;
      }
    } else if (char === "{") {
      const end = closing(pattern, index, "{", "}");
      const alternatives = end === -1 ? [] : splitTop(pattern.slice(index + 1, end), ",");
      if (alternatives.length < 2) out += "\\{";
      else {
        out += `(?:${alternatives.map(translate).join("|")})`;
        index = end;
      }
    } else {
      out += literal(char);
    }
  }
  return out;
}

const compileMemo = boundedMemo(64, compileUncached);

/** Compiles a glob matched against whole paths relative to the search directory, with "/" separators. */
export function compileGlob(pattern: string): CompiledGlob {
  return compileMemo(pattern);
}

function compileUncached(pattern: string): CompiledGlob {
  // Literal names need no regex at all, not even compiled: the demo greps with brace lists of 200 names.
  const fast = fastTest(pattern);
  if (fast !== undefined) return { ok: true, test: fast };
  let source: string;
  try {
    source = `^(?:${translate(pattern)})$`;
  } catch (error) {
    if (error instanceof GlobSyntaxError) return { ok: false, error: `pattern "${pattern}": ${error.message}` };
    throw error;
  }
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    return { ok: false, error: `pattern "${pattern}" is not a glob this tool can read (${(error as Error).message}); use *, **, ?, [abc] and {a,b}` };
  }
  return { ok: true, test: (path) => compiled.test(path) };
}

// The shapes models and the demo use most, "**/*.{ts,js}", "**/{package.json,go.mod}", "*.md",
// decided without the regex engine: over a walk of 100k files RE2 took half a second per glob.
// A pattern "**/NAME" or "NAME" whose NAME has no "/" matches by the last segment alone (and
// "NAME" only at the top); NAME made of literal alternatives is a set of names, and "*" followed
// by literal alternatives is a set of endings ("*" matches any characters within a segment).
// Anything else goes through RE2; both give the same answers (glob-pattern.test.ts holds them).
function fastTest(pattern: string): ((path: string) => boolean) | undefined {
  const anyDepth = pattern.startsWith("**/");
  const name = anyDepth ? pattern.slice(3) : pattern;
  if (name === "" || name.includes("/")) return undefined;
  const star = name.startsWith("*") && !name.startsWith("**");
  const alternatives = literalAlternatives(star ? name.slice(1) : name);
  if (alternatives === undefined) return undefined;
  const matchesName = star
    ? (base: string): boolean => alternatives.some((ending) => base.endsWith(ending))
    : ((names: ReadonlySet<string>) => (base: string): boolean => names.has(base))(new Set(alternatives));
  return (path) => {
    const slash = path.lastIndexOf("/");
    if (slash !== -1 && !anyDepth) return false;
    return matchesName(slash === -1 ? path : path.slice(slash + 1));
  };
}

// "a.ts" → ["a.ts"]; "pre{a,b}" or "{a,b}post" → the literal names; undefined for anything with other glob syntax.
function literalAlternatives(text: string): string[] | undefined {
  const open = text.indexOf("{");
  if (open === -1) return SPECIAL.test(text) ? undefined : [text];
  const close = text.indexOf("}", open);
  if (close === -1) return undefined;
  const head = text.slice(0, open);
  const tail = text.slice(close + 1);
  const parts = text.slice(open + 1, close).split(",");
  if (parts.length < 2 || [head, tail, ...parts].some((part) => SPECIAL.test(part))) return undefined;
  return parts.map((part) => `${head}${part}${tail}`);
}

const SPECIAL = /[*?[\]{}()!@+\\]/;

/** The leading directories of a pattern that hold no glob syntax ("src/lib" of "src/lib/**\/*.ts"), or "". */
export function literalBase(pattern: string): string {
  const segments = pattern.split("/");
  const base: string[] = [];
  // The last segment names the files, never a directory to start in.
  for (const segment of segments.slice(0, -1)) {
    if (SPECIAL.test(segment) || segment === "") break;
    base.push(segment);
  }
  return base.join("/");
}
