// The script the isolate (and the type checker) compiles for a workflow's source. A `meta` header is
// exported, which a script cannot do: its `export` keyword is blanked out with spaces. A Claude
// Code–format body awaits and returns at the top level: it becomes the body of `async function
// main()`, opened on the first line and closed on a line of its own, so every line number of an
// error is the line the person approved (only the first line's columns shift, by WRAP_PREFIX).
import type { Node } from "acorn";
import type { Dialect } from "./dialect.js";
import { parseWorkflowSource } from "./intake.js";

type AnyNode = Node & Record<string, unknown>;

export const WRAP_PREFIX = 'async function main() {"use strict";';
const WRAP_SUFFIX = "\n}\n";

/** Blanks `export` before a top-level `const meta`, keeping every position in the file. */
function unexportMeta(code: string): string {
  // No parse without the word: a keyword cannot be written with escapes, so code without "export"
  // has no export to blank. Most workflows have none, and the type check calls this every time.
  if (!code.includes("export")) return code;
  let program: AnyNode;
  try {
    program = parseWorkflowSource(code);
  } catch {
    // Validation reported it; the isolate reports its own syntax error the same way.
    return code;
  }
  for (const node of program.body as AnyNode[]) {
    if (node.type !== "ExportNamedDeclaration") continue;
    const declaration = node.declaration as AnyNode | null;
    if (declaration?.type !== "VariableDeclaration") continue;
    return code.slice(0, node.start) + " ".repeat(declaration.start - node.start) + code.slice(declaration.start);
  }
  return code;
}

/** The source to compile for `dialect`: ours as it is (header unexported), Claude's wrapped into main. */
export function isolateScript(code: string, dialect: Dialect): string {
  const plain = unexportMeta(code);
  switch (dialect) {
    case "main":
      return plain;
    case "claude":
      return `${WRAP_PREFIX}${plain}${WRAP_SUFFIX}`;
    default: {
      const unreachable: never = dialect;
      return unreachable;
    }
  }
}
