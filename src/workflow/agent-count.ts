// How many sub-agents a workflow will start, read from its code before it runs (issue 11: the
// approval screen states the fan-out's size before anything is spent). The count is a range: a
// call inside an `if` may not run (its minimum is 0), a mapAgents over a literal array or over
// `wf.input.dirs` with a known input has a known length, and anything the code decides at run
// time (a list another agent returns, a loop, a callback) makes the maximum unknown, with the
// reason. It never guesses: an unknown maximum is reported as unknown, never as a number.
import {
  addRanges,
  children,
  CountBudgetSpent,
  indexProgram,
  isNode,
  lengthOf,
  lineOf,
  MAX_DEPTH,
  multiply,
  nameOf,
  ONE,
  propertyName,
  shown,
  TOO_COMPLEX,
  UNKNOWN,
  type AnyNode,
  type CountRange,
  type Program,
} from "./code-index.js";
import { detectDialect } from "./dialect.js";
import { parseWorkflowSource } from "./intake.js";

export type { CountRange } from "./code-index.js";

/** `agent` is a Claude Code–format script's global; the others are methods of `wf`. */
export type AgentCallKind = "runAgent" | "mapAgents" | "reduceAgent" | "agent";

/** Array methods that call their first argument once per element, at once. */
const EACH_ELEMENT = new Set(["map", "forEach", "flatMap"]);

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
  const viaCallback = callbackCalls(p, fn, holder, site, nextSeen, depth);
  if (viaCallback !== undefined) return viaCallback;
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

/** The callee is `pipeline` / `parallel`: `wf.pipeline`, or the Claude global of that name. */
function calls(p: Program, call: AnyNode | undefined, name: "pipeline" | "parallel"): boolean {
  if (call?.type !== "CallExpression" || !isNode(call.callee)) return false;
  const callee = call.callee;
  if (callee.type === "MemberExpression") return name === "pipeline" && propertyName(callee) === name;
  return nameOf(callee) === name && p.globals.has(name);
}

/**
 * How often a function passed to something that calls it runs: a pipeline stage (once per item
 * that reached it), an array method's callback (once per element), a thunk given to `parallel`
 * (once), a thunk a map callback makes for `parallel` (once per element). Undefined when `fn` is
 * none of these.
 */
function callbackCalls(p: Program, fn: AnyNode, holder: AnyNode | undefined, site: AnyNode, seen: ReadonlySet<AnyNode>, depth: number): Walk | undefined {
  if (holder === undefined) return undefined;
  // A stage of a pipeline runs once per item that reached it.
  if (calls(p, holder, "pipeline")) {
    const args = holder.arguments as AnyNode[];
    const stage = args.indexOf(fn);
    if (stage >= 1 && args[0] !== undefined) {
      const items = lengthOf(p, args[0]);
      if (items === undefined) return { range: UNKNOWN, reason: `line ${lineOf(site)}: a ${p.claude ? "pipeline" : "wf.pipeline"} stage over ${shown(args[0])}, whose length is known only when the workflow runs` };
      const perItem: CountRange = stage === 1 ? items : { min: 0, max: items.max };
      const outer = timesRun(p, holder, seen, depth + 1);
      return outer.reason !== undefined ? outer : { range: multiply(perItem, outer.range) };
    }
    return undefined;
  }
  // items.map(fn), items.forEach(fn), items.flatMap(fn): once per element.
  if (holder.type === "CallExpression" && (holder.arguments as AnyNode[])[0] === fn && isNode(holder.callee) && holder.callee.type === "MemberExpression") {
    const method = propertyName(holder.callee);
    if (method === undefined || !EACH_ELEMENT.has(method) || !isNode(holder.callee.object)) return undefined;
    const items = lengthOf(p, holder.callee.object);
    if (items === undefined) return { range: UNKNOWN, reason: `line ${lineOf(site)}: in a callback of ${method} over ${shown(holder.callee.object)}, whose length is known only when the workflow runs` };
    const outer = timesRun(p, holder, seen, depth + 1);
    return outer.reason !== undefined ? outer : { range: multiply(items, outer.range) };
  }
  // parallel([() => agent(…), () => agent(…)]): each thunk once.
  if (holder.type === "ArrayExpression") {
    const call = p.parents.get(holder);
    if (call === undefined || !calls(p, call, "parallel") || (call.arguments as AnyNode[])[0] !== holder) return undefined;
    return timesRun(p, call, seen, depth + 1);
  }
  // parallel(items.map((x) => () => agent(…))): the thunk the callback returns runs once per element.
  if ((holder.type === "ArrowFunctionExpression" && holder.body === fn) || (holder.type === "ReturnStatement" && holder.argument === fn)) {
    const maker = holder.type === "ArrowFunctionExpression" ? holder : enclosingFunction(p, holder);
    const map = maker === undefined ? undefined : p.parents.get(maker);
    if (maker === undefined || map?.type !== "CallExpression" || !calls(p, p.parents.get(map), "parallel")) return undefined;
    return functionCalls(p, maker, site, seen, depth + 1);
  }
  return undefined;
}

function enclosingFunction(p: Program, node: AnyNode): AnyNode | undefined {
  for (let at = p.parents.get(node); at !== undefined; at = p.parents.get(at)) if (isFunction(at)) return at;
  return undefined;
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
  return kind === "runAgent" || kind === "agent" ? args[0] : args[1];
}

/** Counts the sub-agents `code` starts; `input` is `wf.input` when the caller knows it (`exec --input`). */
export function countAgents(code: string, options: { readonly input?: unknown } = {}): AgentCount {
  let root: AnyNode;
  try {
    root = parseWorkflowSource(code);
  } catch {
    return { min: 0, max: undefined, sites: [], unknowns: ["the code does not parse, so its sub-agents cannot be counted"] };
  }
  const claude = detectDialect(root) === "claude";
  const { program, agentCalls } = indexProgram(root, options.input, Object.hasOwn(options, "input") && options.input !== undefined, claude);
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
    const callee = call.callee as AnyNode;
    const kind = (callee.type === "MemberExpression" ? propertyName(callee) : "agent") as AgentCallKind;
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
    // Two calls on one line (a pipeline's stages) share their reason: it is said once.
    if (reason !== undefined && !unknowns.includes(reason)) unknowns.push(reason);
    sites.push({ kind, line: lineOf(call), count, promptChars: literalChars(program, promptOf(kind, args)) });
  }
}
