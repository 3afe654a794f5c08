// How many sub-agents a workflow will start, read from its code before it runs (issue 11: the
// approval screen states the fan-out's size before anything is spent). The count is a range: a
// call inside an `if` may not run (its minimum is 0), a mapAgents over a literal array or over
// `wf.input.dirs` with a known input has a known length, and anything the code decides at run
// time (a list another agent returns, a loop, a callback) makes the maximum unknown, with the
// reason. It never guesses: an unknown maximum is reported as unknown, never as a number.
import { parse, type Node } from "acorn";

/** A number of sub-agents: `max` is undefined when the code decides it at run time. */
export interface CountRange {
  readonly min: number;
  readonly max: number | undefined;
}

export type AgentCallKind = "runAgent" | "mapAgents" | "reduceAgent";

/** One place in the code that starts sub-agents, and how many it starts over the whole run. */
export interface AgentCallSite {
  readonly kind: AgentCallKind;
  readonly line: number;
  readonly count: CountRange;
  /** Characters of prompt text visible in the code for one of its agents (literals, templates). */
  readonly promptChars: number;
}

export interface AgentCount extends CountRange {
  readonly sites: readonly AgentCallSite[];
  /** Why the maximum is unknown, one line per cause ("line 65: mapAgents over `areas` …"). */
  readonly unknowns: readonly string[];
}

type AnyNode = Node & Record<string, unknown>;

const AGENT_METHODS: ReadonlySet<string> = new Set(["runAgent", "mapAgents", "reduceAgent"]);
const ONE: CountRange = { min: 1, max: 1 };
const UNKNOWN: CountRange = { min: 0, max: undefined };
/** Helpers calling helpers deeper than this are not followed (and recursion never ends). */
const MAX_DEPTH = 8;
/**
 * Steps the whole count may take. The code is written by a model that read an attacker's files:
 * helpers called from many places, nested deep, must not turn counting into a hang, so past this
 * the count says "unknown" instead.
 */
const MAX_STEPS = 200_000;
const TOO_COMPLEX = "the code is too intricate to count its sub-agents before it runs";

class CountBudgetSpent extends Error {}

function isNode(value: unknown): value is AnyNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

function children(node: AnyNode): AnyNode[] {
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

const lineOf = (node: AnyNode): number => (node.loc as { start: { line: number } } | undefined)?.start.line ?? 1;
const nameOf = (node: unknown): string | undefined => (isNode(node) && node.type === "Identifier" ? (node.name as string) : undefined);
const propertyName = (member: AnyNode): string | undefined =>
  member.computed === true ? (isNode(member.property) && member.property.type === "Literal" ? String(member.property.value) : undefined) : nameOf(member.property);

/** A short rendering of an expression for a reason line: `areas`, `wf.input.dirs`, `(expression)`. */
function shown(node: AnyNode): string {
  if (node.type === "Identifier") return `\`${node.name as string}\``;
  if (node.type === "MemberExpression" && isNode(node.object)) {
    const prop = propertyName(node);
    const base = shown(node.object);
    if (prop !== undefined && base.startsWith("`")) return `${base.slice(0, -1)}.${prop}\``;
  }
  return "its items";
}

interface Program {
  readonly parents: Map<AnyNode, AnyNode>;
  /** Top-level functions and `const f = () => …` by name, when the name is declared once. */
  readonly functions: Map<string, AnyNode>;
  /** `const` initializers by name, when the name is declared once anywhere. */
  readonly constants: Map<string, AnyNode>;
  /** Calls by the name of the plain function they call. */
  readonly callsByName: Map<string, AnyNode[]>;
  readonly wfNames: ReadonlySet<string>;
  readonly input: unknown;
  readonly hasInput: boolean;
  /** Counts steps; throws CountBudgetSpent past MAX_STEPS. */
  readonly step: () => void;
}

function indexProgram(root: AnyNode, input: unknown, hasInput: boolean): { program: Program; agentCalls: AnyNode[] } {
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
  let steps = 0;
  const step = () => {
    steps += 1;
    if (steps > MAX_STEPS) throw new CountBudgetSpent(TOO_COMPLEX);
  };
  return { program: { parents, functions, constants, callsByName, wfNames, input, hasInput, step }, agentCalls };
}

type Resolved = { readonly kind: "value"; readonly value: unknown } | { readonly kind: "node"; readonly node: AnyNode } | { readonly kind: "unknown" };

/** What an expression stands for when the code fixes it: a literal, a `const`, or part of `wf.input`. */
function resolve(p: Program, node: AnyNode, depth = 0): Resolved {
  p.step();
  if (depth > MAX_DEPTH) return { kind: "unknown" };
  switch (node.type) {
    case "Identifier": {
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
function lengthOf(p: Program, node: AnyNode, depth = 0): CountRange | undefined {
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

function isFunction(node: AnyNode): boolean {
  return node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";
}

function isLoop(node: AnyNode): boolean {
  return ["ForStatement", "ForInStatement", "ForOfStatement", "WhileStatement", "DoWhileStatement"].includes(node.type);
}

/** True when a `return` of `fn` itself comes before `at`: the code after it may not run. */
function returnsBefore(p: Program, fn: AnyNode, at: AnyNode): boolean {
  const limit = at.start as number;
  const stack: AnyNode[] = isNode(fn.body) ? [fn.body] : [];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    p.step();
    if ((node.start as number) >= limit) continue;
    // The `return` that holds the call itself does not stop it.
    if (node.type === "ReturnStatement" && (node.end as number) <= limit) return true;
    if (isFunction(node)) continue;
    stack.push(...children(node));
  }
  return false;
}

interface Walk {
  readonly range: CountRange;
  readonly reason?: string;
}

/** How many times the code at `node` runs over one run of `main`. */
function timesRun(p: Program, node: AnyNode, seen: ReadonlySet<AnyNode>, depth: number): Walk {
  let range: CountRange = ONE;
  let child = node;
  for (let parent = p.parents.get(child); parent !== undefined; child = parent, parent = p.parents.get(child)) {
    p.step();
    switch (parent.type) {
      case "IfStatement":
      case "ConditionalExpression":
        if (child !== parent.test) range = { min: 0, max: range.max };
        break;
      case "LogicalExpression":
        if (child === parent.right) range = { min: 0, max: range.max };
        break;
      case "SwitchCase":
      case "CatchClause":
        range = { min: 0, max: range.max };
        break;
      case "ChainExpression":
        range = { min: 0, max: range.max };
        break;
      default:
        break;
    }
    if (isLoop(parent) && child !== parent.init && child !== parent.right) {
      const over = parent.type === "ForOfStatement" && isNode(parent.right) ? lengthOf(p, parent.right) : undefined;
      if (over === undefined) return { range: UNKNOWN, reason: `line ${lineOf(node)}: inside a loop (line ${lineOf(parent)}) whose number of rounds is known only when the workflow runs` };
      range = multiply(range, over);
    }
    if (!isFunction(parent)) continue;
    if (returnsBefore(p, parent, node)) range = { min: 0, max: range.max };
    const outer = functionCalls(p, parent, node, seen, depth);
    if (outer.reason !== undefined) return { range: UNKNOWN, reason: outer.reason };
    return { range: multiply(range, outer.range) };
  }
  return { range };
}

/** How many times function `fn` (which holds `site`) is called over one run of `main`. */
function functionCalls(p: Program, fn: AnyNode, site: AnyNode, seen: ReadonlySet<AnyNode>, depth: number): Walk {
  const holder = p.parents.get(fn);
  if (fn.type === "FunctionDeclaration" && nameOf(fn.id) === "main" && holder?.type === "Program") return { range: ONE };
  if (seen.has(fn) || depth > MAX_DEPTH) return { range: UNKNOWN, reason: `line ${lineOf(site)}: in a function that calls itself, so how often it runs is known only at run time` };
  const nextSeen = new Set([...seen, fn]);
  // A stage of wf.pipeline runs once per item that reached it.
  if (holder?.type === "CallExpression" && isNode(holder.callee) && holder.callee.type === "MemberExpression" && propertyName(holder.callee) === "pipeline") {
    const args = holder.arguments as AnyNode[];
    const stage = args.indexOf(fn);
    if (stage >= 1 && args[0] !== undefined) {
      const items = lengthOf(p, args[0]);
      if (items === undefined) return { range: UNKNOWN, reason: `line ${lineOf(site)}: a wf.pipeline stage over ${shown(args[0])}, whose length is known only when the workflow runs` };
      const perItem: CountRange = stage === 1 ? items : { min: 0, max: items.max };
      const outer = timesRun(p, holder, nextSeen, depth + 1);
      return outer.reason !== undefined ? outer : { range: multiply(perItem, outer.range) };
    }
  }
  const name = fn.type === "FunctionDeclaration" ? nameOf(fn.id) : holder?.type === "VariableDeclarator" ? nameOf(holder.id) : undefined;
  if (name === undefined || p.functions.get(name) !== fn) {
    return { range: UNKNOWN, reason: `line ${lineOf(site)}: inside a callback (line ${lineOf(fn)}), so how often it runs is known only when the workflow runs` };
  }
  let total: CountRange = { min: 0, max: 0 };
  for (const call of p.callsByName.get(name) ?? []) {
    const each = timesRun(p, call, nextSeen, depth + 1);
    if (each.reason !== undefined) return each;
    total = addRanges(total, each.range);
  }
  return { range: total };
}

/** Characters of literal text in an expression, following one call into a top-level helper. */
function literalChars(p: Program, node: AnyNode | undefined, followCalls = true): number {
  if (node === undefined) return 0;
  let total = 0;
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    p.step();
    if (n.type === "Literal" && typeof n.value === "string") total += n.value.length;
    else if (n.type === "TemplateElement") total += String((n.value as { cooked?: string }).cooked ?? "").length;
    else if (n.type === "Identifier" && followCalls) {
      const init = p.constants.get(n.name as string);
      if (init !== undefined && (init.type === "Literal" || init.type === "TemplateLiteral")) total += literalChars(p, init, false);
    } else if (n.type === "CallExpression" && followCalls) {
      const fn = p.functions.get(nameOf(n.callee) ?? "");
      if (fn !== undefined) total += literalChars(p, fn.body as AnyNode, false);
    }
    if (n.type !== "ObjectExpression" || n === node) stack.push(...children(n));
  }
  return total;
}

function promptOf(kind: AgentCallKind, args: readonly AnyNode[]): AnyNode | undefined {
  return kind === "runAgent" ? args[0] : args[1];
}

/** Counts the sub-agents `code` starts; `input` is `wf.input` when the caller knows it (`exec --input`). */
export function countAgents(code: string, options: { readonly input?: unknown } = {}): AgentCount {
  let root: AnyNode;
  try {
    root = parse(code, { ecmaVersion: "latest", sourceType: "script", locations: true }) as unknown as AnyNode;
  } catch {
    return { min: 0, max: undefined, sites: [], unknowns: ["the code does not parse, so its sub-agents cannot be counted"] };
  }
  const { program, agentCalls } = indexProgram(root, options.input, Object.hasOwn(options, "input") && options.input !== undefined);
  const sites: AgentCallSite[] = [];
  const unknowns: string[] = [];
  let total: CountRange = { min: 0, max: 0 };
  agentCalls.sort((a, b) => (a.start as number) - (b.start as number));
  try {
    countSites(program, agentCalls, sites, unknowns);
  } catch (error) {
    if (!(error instanceof CountBudgetSpent)) throw error;
    return { min: 0, max: undefined, sites: [], unknowns: [TOO_COMPLEX] };
  }
  for (const site of sites) total = addRanges(total, site.count);
  return { ...total, sites, unknowns };
}

function countSites(program: Program, agentCalls: readonly AnyNode[], sites: AgentCallSite[], unknowns: string[]): void {
  for (const call of agentCalls) {
    const kind = propertyName(call.callee as AnyNode) as AgentCallKind;
    const args = call.arguments as AnyNode[];
    let perCall: CountRange = ONE;
    let reason: string | undefined;
    if (kind === "mapAgents") {
      const items = args[0] === undefined ? undefined : lengthOf(program, args[0]);
      if (items === undefined) reason = `line ${lineOf(call)}: mapAgents over ${args[0] ? shown(args[0]) : "its items"}, whose length is known only when the workflow runs`;
      perCall = items ?? UNKNOWN;
    }
    const times = timesRun(program, call, new Set(), 0);
    reason ??= times.reason;
    const count = reason !== undefined ? { min: multiply(perCall, times.range).min, max: undefined } : multiply(perCall, times.range);
    if (reason !== undefined) unknowns.push(reason);
    sites.push({ kind, line: lineOf(call), count, promptChars: literalChars(program, promptOf(kind, args)) });
  }
}
