// Which of the two workflow dialects a program is written in. Both run on one engine; they differ in
// their entry point and their globals:
//   main   `async function main(wf) { … }` with the `wf` object (agentwf's own, from OpenHands)
//   claude Claude Code's script format: `export const meta = {…}`, then a top-level body that may
//          await and return, with the globals agent/parallel/pipeline/phase/log/args/budget
import type { Node } from "acorn";
import { findMetaDeclarator } from "./workflow-meta.js";

export type Dialect = "main" | "claude";

export const DIALECTS: readonly Dialect[] = ["main", "claude"];

/** How each dialect is named to people and to the parent. */
export const DIALECT_NAMES: Readonly<Record<Dialect, string>> = {
  main: "an agentwf workflow (async function main(wf))",
  claude: "a Claude Code–format workflow script (export const meta, top-level await)",
};

type AnyNode = Node & Record<string, unknown>;

const CLAUDE_GLOBALS = new Set(["agent", "parallel", "pipeline", "phase", "log", "workflow"]);

function isMainDeclaration(node: AnyNode): boolean {
  const declaration = node.type === "ExportNamedDeclaration" || node.type === "ExportDefaultDeclaration" ? (node.declaration as AnyNode | null) : node;
  return declaration?.type === "FunctionDeclaration" && (declaration.id as AnyNode | null)?.name === "main";
}

/** True when a top-level statement does work itself: an await, a return, or a call to a Claude global. */
function runsAtTopLevel(node: AnyNode): boolean {
  if (node.type === "ReturnStatement") return true;
  let found = false;
  const visit = (value: unknown, depth: number): void => {
    if (found || depth > 200 || typeof value !== "object" || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const n = value as AnyNode;
    if (typeof n.type !== "string") return;
    // A function's body runs when it is called, not at the top level.
    if (n.type === "FunctionDeclaration" || n.type === "FunctionExpression" || n.type === "ArrowFunctionExpression") return;
    if (n.type === "AwaitExpression" || (n.type === "ForOfStatement" && n.await === true)) {
      found = true;
      return;
    }
    if (n.type === "CallExpression" && (n.callee as AnyNode).type === "Identifier" && CLAUDE_GLOBALS.has((n.callee as AnyNode).name as string)) {
      found = true;
      return;
    }
    for (const key of Object.keys(n)) if (key !== "loc") visit(n[key], depth + 1);
  };
  visit(node, 0);
  return found;
}

/**
 * The dialect of a parsed program: a top-level `main` function makes it ours (a `meta` header may
 * sit above it); otherwise a `meta` declaration or a top level that awaits, returns or calls the
 * Claude globals makes it Claude Code's. Anything else is treated as ours, whose messages then
 * say what is missing.
 */
export function detectDialect(program: AnyNode): Dialect {
  const body = program.body as AnyNode[];
  if (body.some(isMainDeclaration)) return "main";
  if (findMetaDeclarator(body) !== undefined) return "claude";
  return body.some(runsAtTopLevel) ? "claude" : "main";
}
