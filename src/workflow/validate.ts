// Checks workflow code before a person sees it. Every finding has a line and column and is
// written for the model to act on, since the parent gets them back as its tool result.
import type { Node } from "acorn";
import { characterKind, codePointName, escapeCodePoint, type CharacterKind } from "../text/characters.js";
import { claudeStructure } from "./claude-checks.js";
import { detectDialect, type Dialect } from "./dialect.js";
import { eraseTypes } from "./erase-types.js";
import { describeIntake, parseWorkflowSource, takeIn, type IntakeChange } from "./intake.js";
import { typeCheckWorkflow } from "./type-check.js";
import { readMeta, type WorkflowMeta } from "./workflow-meta.js";

export interface Diagnostic {
  readonly line: number;
  readonly column: number;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface ValidationResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** The code that runs: the proposal after forgiving intake (fence, TypeScript, `export` undone). */
  readonly code: string;
  /** What intake changed; empty when the code is run exactly as written. */
  readonly changes: readonly IntakeChange[];
  readonly dialect: Dialect;
  /** The `meta` header, when the code has one that reads. */
  readonly meta?: WorkflowMeta;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.line}:${d.column} ${d.severity}: ${d.message}`;
}

// Characters that can make code read differently from how it runs (Trojan Source, CVE-2021-42574)
// are the table in text/characters.ts; each kind is named for the model that has to remove it.
const KIND_NAMES: Readonly<Record<CharacterKind, string>> = {
  bidi: "a bidirectional control character",
  invisible: "an invisible character",
  // JavaScript ends a line at U+2028/U+2029, but most editors show them as nothing at all.
  "line-break": "an invisible line break",
  control: "a control character",
};

const MAX_HIDDEN_FINDINGS = 20;

function hiddenCharacters(code: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < code.length && found.length < MAX_HIDDEN_FINDINGS; ) {
    const point = code.codePointAt(i) ?? 0;
    const ch = String.fromCodePoint(point);
    // A carriage return is a line break in code (CRLF files), as acorn counts it.
    const kind = ch === "\r" ? undefined : characterKind(point);
    if (kind !== undefined) {
      found.push({
        // Columns count UTF-16 units from the line start, as acorn's do.
        line,
        column: i - lineStart + 1,
        severity: "error",
        message: `${KIND_NAMES[kind]} (${codePointName(point)}) can hide code from the person who approves it; remove it or write it as an escape like "${escapeCodePoint(point)}" inside a string`,
      });
    }
    i += ch.length;
    // Line breaks as acorn counts them, so these findings and the parser's agree on line numbers.
    if (ch === "\n" || ch === "\u2028" || ch === "\u2029" || (ch === "\r" && code[i] !== "\n")) {
      line += 1;
      lineStart = i;
    }
  }
  return found;
}

type AnyNode = Node & Record<string, unknown>;

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Visits every node below `root`, depth first. */
function walk(root: AnyNode, visit: (node: AnyNode) => void): void {
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    visit(node);
    for (const key of Object.keys(node)) {
      if (key === "loc") continue;
      const child = node[key];
      if (Array.isArray(child)) {
        for (const item of child) if (isNode(item)) stack.push(item);
      } else if (isNode(child)) stack.push(child);
    }
  }
}

const FORBIDDEN_CALLS: Readonly<Record<string, string>> = {
  require: "require() does not exist in the workflow sandbox; workflows cannot load modules, use wf.runAgent for work that needs files",
  eval: "eval() is not allowed: every line that runs must be visible to the person who approves the workflow",
  Function: "the Function constructor is not allowed: every line that runs must be visible to the person who approves it",
  importScripts: "importScripts() does not exist in the workflow sandbox",
};

const IMPORT_EXPORT = "syntax error: import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`";

const at = (node: AnyNode) => {
  const loc = node.loc as { start: { line: number; column: number } } | undefined;
  return { line: loc?.start.line ?? 1, column: (loc?.start.column ?? 0) + 1 };
};

/** Calls and syntax neither dialect allows: module loading and code from strings. */
function forbidden(program: AnyNode): Diagnostic[] {
  const found: Diagnostic[] = [];
  const topLevel = new Set(program.body as AnyNode[]);
  walk(program, (node) => {
    if ((node.type === "ImportDeclaration" || node.type.startsWith("Export")) && node.type !== "ExportSpecifier" && !topLevel.has(node)) {
      found.push({ ...at(node), severity: "error", message: IMPORT_EXPORT });
    } else if (node.type === "ImportExpression") {
      found.push({ ...at(node), severity: "error", message: "dynamic import() is not allowed: the workflow sandbox has no modules" });
    } else if (node.type === "CallExpression" || node.type === "NewExpression") {
      const callee = node.callee as AnyNode;
      const name = callee.type === "Identifier" ? (callee.name as string) : undefined;
      if (name !== undefined && Object.hasOwn(FORBIDDEN_CALLS, name)) {
        found.push({ ...at(node), severity: "error", message: FORBIDDEN_CALLS[name] ?? "" });
      }
    } else if (node.type === "MetaProperty") {
      found.push({ ...at(node), severity: "error", message: "import.meta and new.target are not available in a workflow" });
    }
  });
  return found;
}

function structure(program: AnyNode): Diagnostic[] {
  const found: Diagnostic[] = [];
  const body = Array.isArray(program.body) ? (program.body as AnyNode[]) : [];
  const metaExport = body.find(
    (n) =>
      n.type === "ExportNamedDeclaration" &&
      (n.declaration as AnyNode | null)?.type === "VariableDeclaration" &&
      ((n.declaration as AnyNode).declarations as AnyNode[]).every((d) => (d.id as AnyNode).name === "meta"),
  );
  const mains = body.filter((n) => n.type === "FunctionDeclaration" && (n.id as AnyNode | null)?.name === "main");
  if (mains.length === 0) {
    found.push({
      line: 1,
      column: 1,
      severity: "error",
      message: "no top-level `async function main(wf) { ... }`; define exactly one, it is the workflow's entry point",
    });
  }
  for (const extra of mains.slice(1)) {
    found.push({ ...at(extra), severity: "error", message: "`main` is defined more than once; keep exactly one" });
  }
  const main = mains[0];
  if (main !== undefined) {
    if (main.async !== true) {
      found.push({ ...at(main), severity: "error", message: "`main` must be async: write `async function main(wf)`" });
    }
    if (main.generator === true) {
      found.push({ ...at(main), severity: "error", message: "`main` must not be a generator: write `async function main(wf)`" });
    }
    const params = Array.isArray(main.params) ? main.params : [];
    if (params.length !== 1) {
      found.push({ ...at(main), severity: "error", message: `\`main\` takes exactly one parameter, wf (it has ${params.length})` });
    }
  }
  for (const node of body) {
    if (["FunctionDeclaration", "VariableDeclaration", "ClassDeclaration", "EmptyStatement"].includes(node.type)) continue;
    // A saved workflow's header (`export const meta = {…}`) may stand above main.
    if (node === metaExport) continue;
    if (node.type === "ImportDeclaration" || node.type.startsWith("Export")) {
      found.push({ ...at(node), severity: "error", message: IMPORT_EXPORT });
      continue;
    }
    if (node.type === "ExpressionStatement" && (node as { directive?: unknown }).directive !== undefined) continue;
    found.push({
      ...at(node),
      severity: "error",
      message: `top-level ${node.type} runs outside main; move it into main (only declarations may stand at the top level)`,
    });
  }
  return found;
}

interface Checked {
  readonly diagnostics: Diagnostic[];
  /** Types are checked only on code that parsed; a syntax error would drown them in noise. */
  readonly typeCheck: boolean;
  readonly code: string;
  readonly changes: readonly IntakeChange[];
  readonly dialect: Dialect;
  readonly meta?: WorkflowMeta;
}

/** What parsing finds, before types: the result when it already failed, or the code to type-check. */
function checkSource(raw: string, maxBytes: number): Checked {
  const bytes = Buffer.byteLength(raw, "utf8");
  if (bytes > maxBytes) {
    return {
      typeCheck: false,
      code: raw,
      changes: [],
      dialect: "main",
      diagnostics: [
        {
          line: 1,
          column: 1,
          severity: "error",
          message: `the workflow is ${bytes} bytes, over the ${maxBytes}-byte limit (limits.maxCodeBytes); write shorter code and let sub-agents carry the detail in their prompts`,
        },
      ],
    };
  }
  const hidden = hiddenCharacters(raw);
  // Code that hides characters is reported as written: nothing is rewritten around a Trojan Source.
  const intake = hidden.length > 0 ? { code: raw, changes: [] } : takeIn(raw, eraseTypes);
  const code = intake.code;
  const diagnostics: Diagnostic[] = [...hidden];
  const note = describeIntake(intake.changes);
  if (note !== undefined) diagnostics.push({ line: 1, column: 1, severity: "warning", message: note });
  let program: AnyNode | undefined;
  try {
    program = parseWorkflowSource(code);
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    const message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, "");
    diagnostics.push({ line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, severity: "error", message: `syntax error: ${message}` });
  }
  if (program === undefined) return { diagnostics, typeCheck: false, code, changes: intake.changes, dialect: "main" };
  const dialect = detectDialect(program);
  diagnostics.push(...forbidden(program));
  if (dialect === "claude") {
    const claude = claudeStructure(program, walk);
    diagnostics.push(...claude.diagnostics);
    return { diagnostics, typeCheck: true, code, changes: intake.changes, dialect, ...(claude.meta !== undefined ? { meta: claude.meta } : {}) };
  }
  diagnostics.push(...structure(program));
  const header = readMeta(program.body as AnyNode[]);
  if (header.kind === "invalid") diagnostics.push({ ...at(header.node), severity: "error", message: header.message });
  return { diagnostics, typeCheck: true, code, changes: intake.changes, dialect, ...(header.kind === "ok" ? { meta: header.meta } : {}) };
}

function result(checked: Checked, types: readonly Diagnostic[]): ValidationResult {
  const diagnostics = [...checked.diagnostics, ...types];
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return {
    ok: !diagnostics.some((d) => d.severity === "error"),
    diagnostics,
    code: checked.code,
    changes: checked.changes,
    dialect: checked.dialect,
    ...(checked.meta !== undefined ? { meta: checked.meta } : {}),
  };
}

/**
 * Validates workflow source: size, hidden characters, forgiving intake, syntax, the dialect and its
 * entry point, forbidden calls, types. The type check runs on this thread; commands use
 * `validateWorkflowAsync` with the worker.
 */
export function validateWorkflow(code: string, maxBytes: number, options: { typeCheck?: boolean } = {}): ValidationResult {
  const checked = checkSource(code, maxBytes);
  const types = checked.typeCheck && options.typeCheck !== false ? typeCheckWorkflow(checked.code, checked.dialect) : [];
  return result(checked, types);
}

/** Type diagnostics for code that parsed, from wherever the checker runs (a worker thread). */
export type TypeCheck = (code: string, dialect: Dialect) => Promise<Diagnostic[]>;

/** The same validation, with the type check off this thread so the UI keeps drawing meanwhile. */
export async function validateWorkflowAsync(code: string, maxBytes: number, typeCheck: TypeCheck): Promise<ValidationResult> {
  const checked = checkSource(code, maxBytes);
  const types = checked.typeCheck ? await typeCheck(checked.code, checked.dialect) : [];
  return result(checked, types);
}

/** How `run` and `exec` validate: a port, so tests can check without a worker. */
export type ValidateWorkflow = (code: string, maxBytes: number) => Promise<ValidationResult>;
