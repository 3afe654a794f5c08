// Checks workflow code before a person sees it. Every finding has a line and column and is
// written for the model to act on, since the parent gets them back as its tool result.
import { parse, type Node } from "acorn";
import { characterKind, codePointName, escapeCodePoint, type CharacterKind } from "../text/characters.js";
import { typeCheckWorkflow } from "./type-check.js";

export interface Diagnostic {
  readonly line: number;
  readonly column: number;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface ValidationResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
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

function structure(program: AnyNode): Diagnostic[] {
  const found: Diagnostic[] = [];
  const at = (node: AnyNode) => {
    const loc = node.loc as { start: { line: number; column: number } } | undefined;
    return { line: loc?.start.line ?? 1, column: (loc?.start.column ?? 0) + 1 };
  };
  const body = Array.isArray(program.body) ? (program.body as AnyNode[]) : [];
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
    if (node.type === "ExpressionStatement" && (node as { directive?: unknown }).directive !== undefined) continue;
    found.push({
      ...at(node),
      severity: "error",
      message: `top-level ${node.type} runs outside main; move it into main (only declarations may stand at the top level)`,
    });
  }
  walk(program, (node) => {
    if (node.type === "ImportExpression") {
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

/** What parsing finds, before types: the result when it already failed, or the code to type-check. */
function checkSource(code: string, maxBytes: number): { readonly diagnostics: Diagnostic[]; readonly typeCheck: boolean } {
  const bytes = Buffer.byteLength(code, "utf8");
  if (bytes > maxBytes) {
    return {
      typeCheck: false,
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
  const diagnostics: Diagnostic[] = hiddenCharacters(code);
  let program: AnyNode | undefined;
  try {
    program = parse(code, { ecmaVersion: "latest", sourceType: "script", locations: true }) as unknown as AnyNode;
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    let message = (error as Error).message.replace(/\s*\(\d+:\d+\)$/, "");
    if (/'import' and 'export' may appear only/.test(message)) {
      message = "import/export statements are not allowed: a workflow is one script whose entry point is `async function main(wf)`";
    }
    diagnostics.push({ line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1, severity: "error", message: `syntax error: ${message}` });
  }
  if (program !== undefined) diagnostics.push(...structure(program));
  // Types are checked only on code that parsed; a syntax error would drown them in noise.
  return { diagnostics, typeCheck: program !== undefined };
}

function result(diagnostics: Diagnostic[]): ValidationResult {
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { ok: !diagnostics.some((d) => d.severity === "error"), diagnostics };
}

/**
 * Validates workflow source: size, hidden characters, syntax, the entry point, forbidden calls,
 * types. The type check runs on this thread; commands use `validateWorkflowAsync` with the worker.
 */
export function validateWorkflow(code: string, maxBytes: number, options: { typeCheck?: boolean } = {}): ValidationResult {
  const checked = checkSource(code, maxBytes);
  const types = checked.typeCheck && options.typeCheck !== false ? typeCheckWorkflow(code) : [];
  return result([...checked.diagnostics, ...types]);
}

/** Type diagnostics for code that parsed, from wherever the checker runs (a worker thread). */
export type TypeCheck = (code: string) => Promise<Diagnostic[]>;

/** The same validation, with the type check off this thread so the UI keeps drawing meanwhile. */
export async function validateWorkflowAsync(code: string, maxBytes: number, typeCheck: TypeCheck): Promise<ValidationResult> {
  const checked = checkSource(code, maxBytes);
  const types = checked.typeCheck ? await typeCheck(code) : [];
  return result([...checked.diagnostics, ...types]);
}

/** How `run` and `exec` validate: a port, so tests can check without a worker. */
export type ValidateWorkflow = (code: string, maxBytes: number) => Promise<ValidationResult>;
