// What validation checks in a Claude Code–format script beyond syntax: the `meta` header (first,
// exported, a plain literal with a name and a description), no other import or export, and the
// agent() options agentwf cannot honour, which are reported here instead of silently ignored.
import type { Node } from "acorn";
import type { Diagnostic } from "./validate.js";
import { findMetaDeclarator, readMeta, type WorkflowMeta } from "./workflow-meta.js";

type AnyNode = Node & Record<string, unknown>;

/** Reasoning-effort tiers Claude Code accepts for `agent(…, { effort })`. */
export const EFFORT_TIERS = ["low", "medium", "high", "xhigh", "max"] as const;

const at = (node: AnyNode) => {
  const loc = node.loc as { start: { line: number; column: number } } | undefined;
  return { line: loc?.start.line ?? 1, column: (loc?.start.column ?? 0) + 1 };
};

function stringLiteral(node: AnyNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && (node.expressions as unknown[]).length === 0) {
    return (node.quasis as Array<{ value: { cooked: string | null } }>).map((q) => q.value.cooked ?? "").join("");
  }
  return undefined;
}

function propertyNamed(object: AnyNode, name: string): AnyNode | undefined {
  for (const property of object.properties as AnyNode[]) {
    if (property.type !== "Property" || property.computed === true) continue;
    const key = property.key as AnyNode;
    const keyName = key.type === "Identifier" ? key.name : key.type === "Literal" ? key.value : undefined;
    if (keyName === name) return property.value as AnyNode;
  }
  return undefined;
}

/** Checks of one agent() call's literal options. */
function agentOptions(call: AnyNode, phases: ReadonlySet<string> | undefined): Diagnostic[] {
  const found: Diagnostic[] = [];
  const options = (call.arguments as AnyNode[])[1];
  if (options?.type !== "ObjectExpression") return found;
  const isolation = propertyNamed(options, "isolation");
  const isolationValue = stringLiteral(isolation);
  if (isolation !== undefined && isolationValue === "remote") {
    found.push({ ...at(isolation), severity: "error", message: "isolation: 'remote' is not available in agentwf: sub-agents run on this machine; remove the option" });
  } else if (isolation !== undefined && isolationValue === "worktree") {
    found.push({ ...at(isolation), severity: "warning", message: "isolation: 'worktree' is not honoured in this format: the agent works in the workspace itself (in --sandbox workspace-write its edits land there directly); for separate worktrees and merged patches write an agentwf workflow with wf.runAgent(…, { isolation: 'worktree' }) and wf.applyPatches" });
  } else if (isolation !== undefined && isolationValue !== undefined) {
    found.push({ ...at(isolation), severity: "error", message: `isolation: '${isolationValue}' is unknown; the only value Claude Code defines is 'worktree'` });
  }
  const effort = propertyNamed(options, "effort");
  const effortValue = stringLiteral(effort);
  if (effort !== undefined && effortValue !== undefined) {
    if (!(EFFORT_TIERS as readonly string[]).includes(effortValue)) {
      found.push({ ...at(effort), severity: "error", message: `effort: '${effortValue}' is unknown; use one of ${EFFORT_TIERS.join(", ")}, or leave it out` });
    } else {
      found.push({ ...at(effort), severity: "warning", message: `effort: '${effortValue}' is not sent: agentwf talks to any OpenAI-compatible server and sets no reasoning effort` });
    }
  }
  const phase = stringLiteral(propertyNamed(options, "phase"));
  if (phase !== undefined && phases !== undefined && !phases.has(phase)) {
    found.push({ ...at(options), severity: "warning", message: `phase '${phase}' is not in meta.phases; its agents get a group of their own (add it to meta.phases to list it in order)` });
  }
  return found;
}

/** Findings for a Claude Code–format script, and its meta when that reads. */
export function claudeStructure(program: AnyNode, walk: (root: AnyNode, visit: (node: AnyNode) => void) => void): { diagnostics: Diagnostic[]; meta?: WorkflowMeta } {
  const found: Diagnostic[] = [];
  const body = program.body as AnyNode[];
  const reading = readMeta(body);
  let meta: WorkflowMeta | undefined;
  switch (reading.kind) {
    case "none":
      found.push({
        line: 1,
        column: 1,
        severity: "error",
        message: "a Claude Code–format script begins with `export const meta = { name: '…', description: '…' }`; add it as the first statement",
      });
      break;
    case "invalid":
      found.push({ ...at(reading.node), severity: "error", message: reading.message });
      break;
    case "ok":
      meta = reading.meta;
      for (const key of reading.unknownKeys) {
        found.push({ ...at(reading.node), severity: "warning", message: `meta.${key} is not a meta field (name, description, whenToUse, phases); it is ignored` });
      }
      break;
    default: {
      const unreachable: never = reading;
      return unreachable;
    }
  }
  // The statement that declares meta, exported or not, wherever it stands: every other import or
  // export is refused, and this one must be the exported first statement.
  const metaStatement = findMetaDeclarator(body)?.statement;
  body.forEach((node, index) => {
    if (node === metaStatement) {
      if (node.type !== "ExportNamedDeclaration") {
        found.push({ ...at(node), severity: "error", message: "the meta header is written `export const meta = {…}` and is the first statement of the script" });
      } else if (index !== 0) {
        found.push({ ...at(node), severity: "error", message: "`export const meta = {…}` must be the first statement of the script" });
      }
    } else if (node.type === "ImportDeclaration" || node.type.startsWith("Export")) {
      found.push({
        ...at(node),
        severity: "error",
        message: "import/export statements are not allowed: the script body is plain JavaScript and only `export const meta` may be exported",
      });
    }
  });
  const phases = meta?.phases === undefined ? undefined : new Set(meta.phases.map((p) => p.title));
  walk(program, (node) => {
    if (node.type !== "CallExpression") return;
    const callee = node.callee as AnyNode;
    if (callee.type !== "Identifier") return;
    if (callee.name === "agent") found.push(...agentOptions(node, phases));
    else if (callee.name === "phase") {
      const title = stringLiteral((node.arguments as AnyNode[])[0]);
      if (title !== undefined && phases !== undefined && !phases.has(title)) {
        found.push({ ...at(node), severity: "warning", message: `phase('${title}') is not in meta.phases; it gets a progress group of its own (titles are matched exactly)` });
      }
    } else if (callee.name === "workflow") {
      found.push({
        ...at(node),
        severity: "error",
        message: "workflow() (a nested saved workflow) is not supported by agentwf yet; copy the steps into this script, or run the saved one on its own with agentwf run --workflow NAME",
      });
    }
  });
  return meta === undefined ? { diagnostics: found } : { diagnostics: found, meta };
}
