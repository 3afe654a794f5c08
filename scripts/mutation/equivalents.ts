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
