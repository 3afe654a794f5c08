// The workflow's code as the sub-agent count reads it (agent-count.ts): each node's parent, the
// top-level helpers and `const`s by name, the calls by callee, and what an expression stands for
// when the code fixes it (a literal, a `const`, part of `wf.input`), with the length of a list.
import type { Node } from "acorn";

/** A number of sub-agents: `max` is undefined when the code decides it at run time. */
export interface CountRange {
  readonly min: number;
  readonly max: number | undefined;
}

export type AnyNode = Node & Record<string, unknown>;

export const AGENT_METHODS: ReadonlySet<string> = new Set(["runAgent", "mapAgents", "reduceAgent"]);
/** The Claude Code–format globals that start or schedule sub-agents. */
export const CLAUDE_AGENT = "agent";
export const ONE: CountRange = { min: 1, max: 1 };
export const UNKNOWN: CountRange = { min: 0, max: undefined };
/** Helpers calling helpers deeper than this are not followed (and recursion never ends). */
export const MAX_DEPTH = 8;
/**
 * Steps the whole count may take. The code is written by a model that read an attacker's files:
 * helpers called from many places, nested deep, must not turn counting into a hang, so past this
 * the count says "unknown" instead.
 */
const MAX_STEPS = 200_000;
export const TOO_COMPLEX = "the code is too intricate to count its sub-agents before it runs";

export class CountBudgetSpent extends Error {}

export function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === "loc") continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) out.push(item);
    } else if (isNode(child)) out.push(child);
  }
  return out;
}

export function multiply(a: CountRange, b: CountRange): CountRange {
  const max = a.max === 0 || b.max === 0 ? 0 : a.max === undefined || b.max === undefined ? undefined : a.max * b.max;
  return { min: a.min * b.min, max };
}

export function addRanges(a: CountRange, b: CountRange): CountRange {
  return { min: a.min + b.min, max: a.max === undefined || b.max === undefined ? undefined : a.max + b.max };
}

export const lineOf = (node: AnyNode): number => (node.loc as { start: { line: number } } | undefined)?.start.line ?? 1;
export const nameOf = (node: unknown): string | undefined => (isNode(node) && node.type === "Identifier" ? (node.name as string) : undefined);
export const propertyName = (member: AnyNode): string | undefined =>
  member.computed === true ? (isNode(member.property) && member.property.type === "Literal" ? String(member.property.value) : undefined) : nameOf(member.property);

/** A short rendering of an expression for a reason line: `areas`, `wf.input.dirs`, `(expression)`. */
export function shown(node: AnyNode): string {
  if (node.type === "Identifier") return `\`${node.name as string}\``;
  if (node.type === "MemberExpression" && isNode(node.object)) {
    const prop = propertyName(node);
    const base = shown(node.object);
    if (prop !== undefined && base.startsWith("`")) return `${base.slice(0, -1)}.${prop}\``;
  }
  return "its items";
}

export interface Program {
  readonly parents: Map<AnyNode, AnyNode>;
  /** Top-level functions and `const f = () => …` by name, when the name is declared once. */
  readonly functions: Map<string, AnyNode>;
  /** `const` initializers by name, when the name is declared once anywhere. */
  readonly constants: Map<string, AnyNode>;
  /** Calls by the name of the plain function they call. */
  readonly callsByName: Map<string, AnyNode[]>;
  readonly wfNames: ReadonlySet<string>;
  /** The script is in Claude Code's format: `agent`, `parallel`, `pipeline` and `args` are globals. */
  readonly claude: boolean;
  /** The Claude globals the script does not shadow (`args`, `parallel`, `pipeline`). */
  readonly globals: ReadonlySet<string>;
  readonly input: unknown;
  readonly hasInput: boolean;
  /** Counts steps; throws CountBudgetSpent past MAX_STEPS. */
  readonly step: () => void;
}

export function indexProgram(root: AnyNode, input: unknown, hasInput: boolean, claude = false): { program: Program; agentCalls: AnyNode[] } {
  const parents = new Map<AnyNode, AnyNode>();
  const declarations = new Map<string, number>();
  const constants = new Map<string, AnyNode>();
  const functions = new Map<string, AnyNode>();
  const callsByName = new Map<string, AnyNode[]>();
  const agentCalls: AnyNode[] = [];
  const wfNames = new Set<string>(["wf"]);
  const declare = (name: string | undefined) => {
    if (name !== undefined) declarations.set(name, (declarations.get(name) ?? 0) + 1);
  };
  const declarePattern = (pattern: unknown) => {
    if (!isNode(pattern)) return;
    if (pattern.type === "Identifier") declare(pattern.name as string);
    else for (const child of children(pattern)) if (child.type !== "MemberExpression") declarePattern(child);
  };
  const stack: AnyNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    for (const child of children(node)) {
      parents.set(child, node);
      stack.push(child);
    }
    switch (node.type) {
      case "FunctionDeclaration":
      case "FunctionExpression":
      case "ArrowFunctionExpression": {
        const name = nameOf(node.id);
        declare(name);
        if (name !== undefined && node.type === "FunctionDeclaration") functions.set(name, node);
        for (const param of (node.params as AnyNode[]) ?? []) declarePattern(param);
        if (name === "main" && parents.get(node) === root) {
          const first = nameOf((node.params as AnyNode[])[0]);
          if (first !== undefined) wfNames.add(first);
        }
        break;
      }
      case "VariableDeclarator": {
        declarePattern(node.id);
        const name = nameOf(node.id);
        const declaration = parents.get(node);
        if (name !== undefined && isNode(node.init) && declaration?.kind === "const") {
          constants.set(name, node.init);
          if (node.init.type === "ArrowFunctionExpression" || node.init.type === "FunctionExpression") functions.set(name, node.init);
        }
        break;
      }
      case "CatchClause":
        declarePattern(node.param);
        break;
      case "CallExpression": {
        const callee = node.callee as AnyNode;
        const called = nameOf(callee);
        if (called !== undefined) callsByName.set(called, [...(callsByName.get(called) ?? []), node]);
        if (callee.type === "MemberExpression" && AGENT_METHODS.has(propertyName(callee) ?? "")) agentCalls.push(node);
        else if (claude && called === CLAUDE_AGENT) agentCalls.push(node);
        break;
      }
      default:
        break;
    }
  }
  // A name declared twice (shadowing, a parameter) could mean either: it is not resolved at all.
  for (const [name, times] of declarations) {
    if (times > 1) {
      constants.delete(name);
      functions.delete(name);
    }
  }
  // A script that declares its own `agent` calls that, not the global: those calls start nothing.
  const ownAgent = claude && declarations.has(CLAUDE_AGENT);
  const calls = ownAgent ? agentCalls.filter((call) => (call.callee as AnyNode).type === "MemberExpression") : agentCalls;
  // Likewise `args`, `parallel` and `pipeline` are the globals only while the script leaves them alone.
  const globals = new Set(["args", "parallel", "pipeline"].filter((name) => claude && !declarations.has(name)));
  let steps = 0;
  const step = () => {
    steps += 1;
    if (steps > MAX_STEPS) throw new CountBudgetSpent(TOO_COMPLEX);
  };
  return { program: { parents, functions, constants, callsByName, wfNames, claude, globals, input, hasInput, step }, agentCalls: calls };
}

type Resolved = { readonly kind: "value"; readonly value: unknown } | { readonly kind: "node"; readonly node: AnyNode } | { readonly kind: "unknown" };

/** What an expression stands for when the code fixes it: a literal, a `const`, or part of `wf.input`. */
export function resolve(p: Program, node: AnyNode, depth = 0): Resolved {
  p.step();
  if (depth > MAX_DEPTH) return { kind: "unknown" };
  switch (node.type) {
    case "Identifier": {
      // A Claude Code–format script reads its input as the global `args`.
      if (node.name === "args" && p.globals.has("args")) return p.hasInput ? { kind: "value", value: p.input } : { kind: "unknown" };
      const init = p.constants.get(node.name as string);
      return init === undefined ? { kind: "unknown" } : resolve(p, init, depth + 1);
    }
    case "MemberExpression": {
      const prop = propertyName(node);
      if (prop === undefined || !isNode(node.object)) return { kind: "unknown" };
      if (prop === "input" && p.wfNames.has(nameOf(node.object) ?? "")) return p.hasInput ? { kind: "value", value: p.input } : { kind: "unknown" };
      const base = resolve(p, node.object, depth + 1);
      if (base.kind === "value") {
        const value = base.value;
        if (typeof value !== "object" || value === null || !Object.hasOwn(value, prop)) return { kind: "unknown" };
        return { kind: "value", value: (value as Record<string, unknown>)[prop] };
      }
      if (base.kind === "node" && base.node.type === "ObjectExpression") {
        const props = base.node.properties as AnyNode[];
        if (props.some((q) => q.type !== "Property")) return { kind: "unknown" };
        const found = props.filter((q) => q.computed !== true && (nameOf(q.key) ?? (isNode(q.key) ? String(q.key.value) : undefined)) === prop);
        const last = found.at(-1);
        return last !== undefined && isNode(last.value) ? resolve(p, last.value, depth + 1) : { kind: "unknown" };
      }
      return { kind: "unknown" };
    }
    default:
      return { kind: "node", node };
  }
}

/** How many items an expression holds, when the code fixes it; undefined otherwise. */
export function lengthOf(p: Program, node: AnyNode, depth = 0): CountRange | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const r = resolve(p, node, depth);
  if (r.kind === "value") return Array.isArray(r.value) ? { min: r.value.length, max: r.value.length } : undefined;
  if (r.kind === "unknown") return undefined;
  const n = r.node;
  switch (n.type) {
    case "ArrayExpression": {
      let total: CountRange = { min: 0, max: 0 };
      for (const element of n.elements as Array<AnyNode | null>) {
        if (element !== null && element.type === "SpreadElement") {
          const spread = isNode(element.argument) ? lengthOf(p, element.argument, depth + 1) : undefined;
          if (spread === undefined) return undefined;
          total = addRanges(total, spread);
        } else total = addRanges(total, ONE);
      }
      return total;
    }
    case "ConditionalExpression": {
      const a = lengthOf(p, n.consequent as AnyNode, depth + 1);
      const b = lengthOf(p, n.alternate as AnyNode, depth + 1);
      if (a === undefined || b === undefined || a.max === undefined || b.max === undefined) return undefined;
      return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
    }
    case "AwaitExpression":
    case "ParenthesizedExpression":
      return isNode(n.argument ?? n.expression) ? lengthOf(p, (n.argument ?? n.expression) as AnyNode, depth + 1) : undefined;
    case "CallExpression": {
      const callee = n.callee as AnyNode;
      if (callee.type !== "MemberExpression" || !isNode(callee.object)) return undefined;
      const method = propertyName(callee);
      const base = lengthOf(p, callee.object, depth + 1);
      if (base === undefined) return undefined;
      if (method === "map") return base;
      if (method === "filter") return { min: 0, max: base.max };
      if (method === "slice") {
        const args = (n.arguments as AnyNode[]).map((a) => (a.type === "Literal" && typeof a.value === "number" ? a.value : undefined));
        if (args.some((a) => a === undefined) || args.length > 2 || base.max === undefined || base.min !== base.max) return undefined;
        const [start = 0, end = base.max] = args as number[];
        const size = Math.max(0, Math.min(base.max, end < 0 ? base.max + end : end) - Math.min(base.max, start < 0 ? base.max + start : start));
        return { min: size, max: size };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}
