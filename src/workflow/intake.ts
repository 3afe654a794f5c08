// Forgiving intake of generated code. Real models wrap the program in a ``` fence, annotate it
// with TypeScript (`main(wf: Wf)`, `const x: string[]`), or `export` the entry point. Each of these
// has exactly one meaning, so it is undone here instead of costing the parent a repair round; the
// person is then shown, and approves, the code that will actually run.
import { parse, type Node } from "acorn";

/** What intake did to the code, one phrase each, for the person and the parent. */
export type IntakeChange = "fence" | "typescript" | "export";

export interface Intake {
  readonly code: string;
  readonly changes: readonly IntakeChange[];
}

/** Erases TypeScript syntax; returns undefined when the text is not TypeScript either. */
export type EraseTypes = (code: string) => string | undefined;

type AnyNode = Node & Record<string, unknown>;

/**
 * How every workflow is parsed: a script (as the isolate compiles it) whose top level may await and
 * return (a Claude Code–format body) and may hold `export const meta`. Validation reports every
 * other import or export, wherever it stands.
 */
export function parseWorkflowSource(code: string): AnyNode {
  return parse(code, {
    ecmaVersion: "latest",
    sourceType: "script",
    allowImportExportEverywhere: true,
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
    locations: true,
  }) as unknown as AnyNode;
}

function parses(code: string): AnyNode | undefined {
  try {
    return parseWorkflowSource(code);
  } catch {
    return undefined;
  }
}

const WHOLE_FENCE = /^\s*```[A-Za-z0-9_+-]*[ \t]*\r?\n([\s\S]*?)\r?\n?[ \t]*```\s*$/;
const ANY_FENCE = /```[A-Za-z0-9_+-]*[ \t]*\r?\n([\s\S]*?)\r?\n[ \t]*```/g;

/** The inside of a fence around the whole text; not when the text is several fenced blocks. */
function wholeFence(code: string): string | undefined {
  const inner = WHOLE_FENCE.exec(code)?.[1];
  if (inner === undefined || /^[ \t]*```/m.test(inner)) return undefined;
  return `${inner}\n`;
}

/** The code inside a markdown fence: the whole text as one block, or the one block in some prose. */
function unfence(code: string): string | undefined {
  const whole = wholeFence(code);
  if (whole !== undefined) return whole;
  const blocks = [...code.matchAll(ANY_FENCE)];
  // Two blocks would be a guess at which one is meant: left for the parent to fix.
  if (blocks.length === 1) return `${blocks[0]?.[1] ?? ""}\n`;
  return undefined;
}

/** Removes `export` / `export default` before `async function main`, the one export with one meaning. */
function unexportMain(code: string, program: AnyNode): string | undefined {
  const body = program.body as AnyNode[];
  for (const node of body) {
    if (node.type !== "ExportNamedDeclaration" && node.type !== "ExportDefaultDeclaration") continue;
    const declaration = node.declaration as AnyNode | null;
    if (declaration?.type !== "FunctionDeclaration" || (declaration.id as AnyNode | null)?.name !== "main") continue;
    return code.slice(0, node.start) + code.slice(declaration.start);
  }
  return undefined;
}

/** Undoes a fence, TypeScript annotations and an exported main; code that needs none comes back as it is. */
export function takeIn(raw: string, eraseTypes: EraseTypes): Intake {
  const changes: IntakeChange[] = [];
  let code = raw;
  // A text that opens with ``` is a fence, even though acorn reads ```ts … ``` as template literals.
  if (wholeFence(code) !== undefined || parses(code) === undefined) {
    const inner = unfence(code);
    if (inner !== undefined) {
      code = inner;
      changes.push("fence");
    }
  }
  let program = parses(code);
  if (program === undefined) {
    const erased = eraseTypes(code);
    const erasedProgram = erased === undefined ? undefined : parses(erased);
    // Only when the result is valid JavaScript: otherwise the parent sees its own syntax error.
    if (erased !== undefined && erasedProgram !== undefined) {
      code = erased;
      program = erasedProgram;
      changes.push("typescript");
    }
  }
  if (program !== undefined) {
    const unexported = unexportMain(code, program);
    if (unexported !== undefined) {
      code = unexported;
      changes.push("export");
    }
  }
  return { code, changes };
}

const CHANGE_TEXT: Readonly<Record<IntakeChange, string>> = {
  fence: "removed the ``` fence around the code",
  typescript: "erased TypeScript type annotations (the workflow runs as JavaScript)",
  export: "removed `export` before `async function main`",
};

/** One line for the person and the parent: what was changed and that this is the code that runs. */
export function describeIntake(changes: readonly IntakeChange[]): string | undefined {
  if (changes.length === 0) return undefined;
  return `agentwf ${changes.map((c) => CHANGE_TEXT[c]).join("; ")}; the code shown is the code that runs`;
}
