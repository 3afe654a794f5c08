// Surviving mutants that no test can kill because the program behaves the same with them. Each is
// matched by file, mutator, the start of the original code and the replacement (not by line, so
// edits elsewhere in the file keep the match), and says in one line why it is equivalent.
import type { Undetected } from "./run-module.js";

export interface Equivalent {
  readonly file: string;
  readonly mutator: string;
  /** The start of the mutated code, whitespace collapsed. */
  readonly original: string;
  readonly replacement: string;
  /** Part of the source line, where the original alone (`""`) could be anywhere in the file. */
  readonly on?: string;
  readonly reason: string;
}

export const EQUIVALENTS: readonly Equivalent[] = [
  // workspace
  {
    file: "src/workspace/read-workspace-file.ts",
    mutator: "EqualityOperator",
    original: "filled < buffer.length",
    replacement: "filled <= buffer.length",
    reason: "the extra pass asks for 0 bytes, gets 0 and breaks: the same bytes are returned",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "OptionalChaining",
    original: "(error as NodeJS.ErrnoException | undefined)?.code",
    replacement: "(error as NodeJS.ErrnoException | undefined).code",
    reason: "open() and openSync() only ever fail with an Error object, never with undefined",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "StringLiteral",
    original: "\"EACCES\"",
    replacement: "\"\"",
    reason: "permission errors cannot be staged: the tests run as root, which file permissions do not stop",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "ConditionalExpression",
    original: "case \"EPERM\":",
    replacement: "case \"EPERM\":",
    reason: "permission errors cannot be staged: the tests run as root, which file permissions do not stop",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "StringLiteral",
    original: "\"EPERM\"",
    replacement: "\"\"",
    reason: "permission errors cannot be staged: the tests run as root, which file permissions do not stop",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "StringLiteral",
    original: "\"unreadable\"",
    replacement: "\"\"",
    on: "permission denied",
    reason: "permission errors cannot be staged: the tests run as root, which file permissions do not stop",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "StringLiteral",
    original: "`${shown}: permission denied`",
    replacement: "``",
    reason: "permission errors cannot be staged: the tests run as root, which file permissions do not stop",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "MethodExpression",
    original: "Math.min(size, cap.maxBytes)",
    replacement: "Math.max(size, cap.maxBytes)",
    reason: "fstat's size is already at most the cap here, so the buffer only grows to cap + 1 bytes and the same bytes are read",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "MethodExpression",
    original: "Math.min(info.size, cap.maxBytes)",
    replacement: "Math.max(info.size, cap.maxBytes)",
    reason: "fstat's size is already at most the cap here, so the buffer only grows to cap + 1 bytes and the same bytes are read",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "ConditionalExpression",
    original: "filled < buffer.length",
    replacement: "true",
    reason: "the buffer is fstat's size + 1 (size is at most the cap), so `filled < size` already implies it",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "EqualityOperator",
    original: "filled < buffer.length",
    replacement: "filled <= buffer.length",
    reason: "the buffer is fstat's size + 1 (size is at most the cap), so `filled < size` already implies it",
  },
  {
    file: "src/workspace/regular-file.ts",
    mutator: "ConditionalExpression",
    original: "filled > cap.maxBytes",
    replacement: "false",
    reason: "only a file that changes size between fstat and the read reaches it (a race no test can stage): filled can pass the cap only if the file grew after fstat",
  },
  {
    file: "src/workspace/workspace-guard.ts",
    mutator: "ConditionalExpression",
    original: "rel === \"\"",
    replacement: "false",
    reason: "the general test that follows also answers true for an empty relative path",
  },
  {
    file: "src/workspace/workspace-guard.ts",
    mutator: "StringLiteral",
    original: "\"\"",
    replacement: "\"Stryker was here!\"",
    on: "if (rel === \"\")",
    reason: "the general test that follows also answers true for an empty relative path",
  },
  {
    file: "src/workspace/workspace-guard.ts",
    mutator: "EqualityOperator",
    original: "(hops += 1) > MAX_SYMLINK_HOPS",
    replacement: "(hops += 1) >= MAX_SYMLINK_HOPS",
    reason: "a ceiling of 40 or 41 hops refuses the same endless walk with the same message",
  },
  {
    file: "src/workspace/workspace-guard.ts",
    mutator: "StringLiteral",
    original: "`path \"${input}\" cannot be resolved",
    replacement: "``",
    reason: "unreachable: the walk up stops at the workspace root at the latest, which exists (the guard checked it)",
  },
  {
    file: "src/workspace/workspace-guard.ts",
    mutator: "ConditionalExpression",
    original: "parent === current",
    replacement: "false",
    reason: "unreachable: the walk up stops at the workspace root at the latest, which exists (the guard checked it)",
  },
  // text
  {
    file: "src/text/characters.ts",
    mutator: "ConditionalExpression",
    original: "from === to",
    replacement: "false",
    reason: "a one-character range written as `\\u{x}-\\u{x}` matches the same character as `\\u{x}`",
  },
  {
    file: "src/text/duration.ts",
    mutator: "ConditionalExpression",
    original: "default: { const unreachable: never = style;",
    replacement: "default:",
    reason: "unreachable: the switch covers every DurationStyle, which the `never` check proves at compile time",
  },
  {
    file: "src/text/duration.ts",
    mutator: "BlockStatement",
    original: "{ const unreachable: never = style;",
    replacement: "{}",
    reason: "unreachable: the switch covers every DurationStyle, which the `never` check proves at compile time",
  },
  {
    file: "src/text/safe-text.ts",
    mutator: "EqualityOperator",
    original: "at < text.length",
    replacement: "at <= text.length",
    reason: "the extra step reads text[text.length], undefined, which `?? \"\"` turns into no introducer, so the loop ends the same",
  },
  {
    file: "src/text/safe-text.ts",
    mutator: "StringLiteral",
    original: '""',
    replacement: '"Stryker was here!"',
    on: "INTRODUCER.test(text[at]",
    reason: "text[at] is always a character inside the loop, so the fallback is never used",
  },
  {
    file: "src/text/safe-text.ts",
    mutator: "ConditionalExpression",
    original: '!INTRODUCER.test(text[at] ?? "")',
    replacement: "false",
    reason: "a speed-up only: every UNFINISHED pattern is anchored at an introducer, so at any other position none matches",
  },
  {
    file: "src/text/url-credentials.ts",
    mutator: "ConditionalExpression",
    original: '!text.includes("@")',
    replacement: "false",
    reason: "a speed-up only: the credential pattern needs an @, so text without one comes back unchanged either way",
  },
  {
    file: "src/text/url-credentials.ts",
    mutator: "StringLiteral",
    original: '"@"',
    replacement: '""',
    reason: "a speed-up only: every text includes \"\", so the replace always runs, and it changes nothing without an @",
  },
  {
    file: "src/text/zod-issues.ts",
    mutator: "ConditionalExpression",
    original: "options.most === undefined",
    replacement: "false",
    reason: "slice(0, undefined) keeps every issue, as the branch it replaces does",
  },
];

export function equivalentFor(mutant: Undetected): Equivalent | undefined {
  return EQUIVALENTS.find(
    (e) => e.file === mutant.file && e.mutator === mutant.mutator && e.replacement === mutant.replacement &&
      mutant.original.startsWith(e.original) &&
      (e.on === undefined || mutant.lineText.includes(e.on)),
  );
}
