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
  readonly reason: string;
}

export const EQUIVALENTS: readonly Equivalent[] = [];

export function equivalentFor(mutant: Undetected): Equivalent | undefined {
  return EQUIVALENTS.find(
    (e) => e.file === mutant.file && e.mutator === mutant.mutator && e.replacement === mutant.replacement && mutant.original.startsWith(e.original),
  );
}
