// What the type-check thread does before its first request (type-check-thread.ts runs the steps
// one by one, and stops as soon as a request comes).
//
// The first check in a thread parses and binds the ES2022 library files; the checks after it are
// still slow while V8 has not yet compiled the checker's hot paths: measured in the thread, the
// first check of an example after a trivial warm-up took 160–240 ms of CPU, after a warm-up that
// also checks a workflow using the usual calls 120–160 ms (the second check about 75). `run`
// starts the thread at launch and the parent's proposal comes a model round trip later, so that
// time goes to the warm-up instead of to the person waiting for the approval screen.
//
// `exec` knows its file at launch: the thread checks that first (the library files are parsed on
// the way) and keeps the answer for the request validation then sends with the same code, its
// dialect told by validation's own rule. The file is not yet validated: code that validation's
// intake rewrites is checked again as asked.
import { detectDialect, type Dialect } from "./dialect.js";
import { parseWorkflowSource } from "./intake.js";
import type { Diagnostic } from "./validate.js";
import { typeCheckWorkflow } from "./type-check.js";

export interface FirstCheck {
  readonly code: string;
  readonly dialect: Dialect;
}

const TRIVIAL = "async function main(wf) {\n  return wf.input;\n}\n";

// The shapes a parent usually writes: mapAgents over built items with options, runAgent with a
// schema, Promise.all, template strings, array and object methods, destructuring, console.
const USUAL = `async function main(wf) {
  const items = ["a", "b"].map((name, i) => ({ name, i }));
  const found = await wf.mapAgents(items, (item) => \`look at \${item.name}\`, { agent: "explorer", maxConcurrency: 2 });
  const one = await wf.runAgent("sum up " + found.filter(Boolean).join("\\n"), { description: "sum", schema: { type: "object" } });
  const all = await Promise.all([wf.runAgent("x"), Promise.resolve(1)]);
  for (const [k, v] of Object.entries({ one, all })) console.log(k, JSON.stringify(v));
  return { one, count: all.length, input: wf.input };
}
`;

/** The file `exec` will validate, from the thread's start data; undefined unless it is one. */
export function firstCheckOf(data: unknown): FirstCheck | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const code: unknown = (data as { code?: unknown }).code;
  if (typeof code !== "string") return undefined;
  // Validation's own rule, so the kept answer is the one it will ask for; code that does not parse
  // is refused before any type check, so there is nothing to check first.
  try {
    return { code, dialect: detectDialect(parseWorkflowSource(code)) };
  } catch {
    return undefined;
  }
}

/**
 * The warm-up steps in order: with `first`, its check alone (a workflow will run next, and the
 * thread ends then); else a trivial check (the library files) and then the usual calls.
 */
export function warmUpSteps(first: FirstCheck | undefined, keep: (check: FirstCheck, diagnostics: Diagnostic[]) => void): Array<() => void> {
  if (first !== undefined) return [() => keep(first, typeCheckWorkflow(first.code, first.dialect))];
  return [() => void typeCheckWorkflow(TRIVIAL), () => void typeCheckWorkflow(USUAL)];
}

/** What the thread keeps from checking exec's file. */
export interface KeptCheck {
  readonly first: FirstCheck;
  readonly diagnostics: Diagnostic[];
}

/** The kept diagnostics, when a request asks for exactly the code and dialect checked first. */
export function keptAnswer(kept: KeptCheck | undefined, code: string, dialect: Dialect): Diagnostic[] | undefined {
  return kept !== undefined && kept.first.code === code && kept.first.dialect === dialect ? kept.diagnostics : undefined;
}
