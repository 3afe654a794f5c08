// The `wf` object as it lives inside the isolate. This text runs in the isolate before the
// workflow's own code, through `evalClosure`, with these arguments:
//   $0  Reference to the host's agent bridge: (callId, requestJson) => void; the host answers
//       later by calling control("settle", callId, envelopeJson)
//   $1  Reference to the host's log sink: (text) => void
//   $2  the input, as JSON text (or undefined)
//   $3  settings, as JSON text
//   $4  Reference to the host's result sink: (envelopeJson) => void, called once main settles
//   $5  Reference to the host's phase sink: (title) => void, called by phase() (Claude dialect)
// The references stay in this closure's locals: never on a global, never on `wf`, because each is
// a way back into the host (isolated-vm README, "SECURITY"). Only strings cross the boundary, and
// they are made with JSON functions captured here before user code can replace them. Strict mode
// keeps stack-trace tricks (`getFunction`) from handing out this closure's functions.
import { CLAUDE_RUNTIME_SOURCE } from "./claude-runtime-source.js";

export const RUNTIME_SOURCE = String.raw`"use strict";
const agentBridge = $0;
const phaseSink = $5;
const logSink = $1;
const resultSink = $4;
const settings = JSON.parse($3);
const stringify = JSON.stringify;
const parse = JSON.parse;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const RangeErrorCtor = RangeError;
const PromiseCtor = Promise;
const isArray = Array.isArray;
const StringCtor = String;
const freeze = Object.freeze;
const defineProperty = Object.defineProperty;
const getPrototypeOf = Object.getPrototypeOf;
const promiseThen = Promise.prototype.then;
const mathMin = Math.min;
const mathMax = Math.max;
const promiseAll = Promise.all;
const mathFloor = Math.floor;
const createObject = Object.create;

// Host calls this isolate is waiting on, and whether main has settled: together they tell the
// host, exactly, when nothing can ever happen again (the isolate has no timers or I/O).
let outstanding = 0;
// The answer waiting for each host call, by call id. No prototype: a lookup never reaches code the
// workflow could have put on Object.prototype or Array.prototype.
const waiting = createObject(null);
let lastCallId = 0;
let mainDone = false;
let started = false;
// Once the host refuses a start for a run-wide reason (--max-agents, --budget), every later call
// fails here at once instead of crossing the boundary again.
let halted;
// Output tokens the host reported for this workflow's sub-agents (the Claude dialect's budget.spent()).
let outputTokensSpent = 0;

// What the host must not share with generated code: WebAssembly memory escapes memoryLimit, and
// SharedArrayBuffer and Atomics have no use here but timing attacks. Temporal arrived with the V8
// of Node 26 only: removing it gives workflows the same globals on every supported Node line, and
// it is a second clock (Temporal.Now) beside Date.
for (const name of ["WebAssembly", "SharedArrayBuffer", "Atomics", "Temporal"]) {
  try { delete globalThis[name]; } catch {}
}

// A resumed run replays the workflow, so everything the code can ask of the world must answer the
// same as on the first run (DESIGN.md, "Durable runs"). The clock is the run's start time, fixed
// (Date.now() and new Date() give it on every call, on every resume); Math.random() is a seeded
// generator (sfc32, seeded from the run id), so a run draws the same numbers each time it runs.
// new Date(value) and Date.UTC/parse stay as they are: they read no clock.
if (settings.clockMs !== undefined) {
  const RealDate = Date;
  const fixedNow = settings.clockMs;
  const construct = Reflect.construct;
  const FixedDate = function Date(...args) {
    if (new.target === undefined) return new RealDate(fixedNow).toString();
    return construct(RealDate, args.length === 0 ? [fixedNow] : args, new.target);
  };
  FixedDate.prototype = RealDate.prototype;
  FixedDate.now = function now() { return fixedNow; };
  FixedDate.parse = RealDate.parse;
  FixedDate.UTC = RealDate.UTC;
  defineProperty(RealDate.prototype, "constructor", { value: FixedDate, writable: true, configurable: true, enumerable: false });
  defineProperty(globalThis, "Date", { value: FixedDate, writable: true, configurable: true, enumerable: false });
}
if (settings.seed !== undefined) {
  // cyrb128 turns the seed text into four 32-bit words; sfc32 draws from them.
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  const seedText = StringCtor(settings.seed);
  for (let i = 0; i < seedText.length; i++) {
    const k = seedText.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0, b = (h2 ^ h1) >>> 0, c = (h3 ^ h1) >>> 0, d = (h4 ^ h1) >>> 0;
  const random = function random() {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  defineProperty(Math, "random", { value: random, writable: true, configurable: true, enumerable: false });
}

// No code from strings: every line that runs must be one the person approved. eval and the
// Function constructors (reached as .constructor of any function kind) are replaced by a thrower.
const noCodegen = function () {
  throw new EvalError("code generation from strings is disabled in workflows: every line that runs must be visible to the person who approves the workflow");
};
noCodegen.prototype = Function.prototype;
for (const fn of [function () {}, async function () {}, function* () {}, async function* () {}]) {
  try { defineProperty(getPrototypeOf(fn), "constructor", { value: noCodegen, writable: false, configurable: false }); } catch {}
}
defineProperty(globalThis, "Function", { value: noCodegen, writable: false, configurable: false, enumerable: false });
defineProperty(globalThis, "eval", { value: noCodegen, writable: false, configurable: false, enumerable: false });

// An error's message, read defensively: getters on it are workflow code and may throw.
function readMessage(e) {
  try {
    if (e instanceof ErrorCtor) {
      const message = e.message;
      return typeof message === "string" ? message : StringCtor(message);
    }
    return "a non-Error value was thrown: " + safeString(e);
  } catch {
    return "an error was thrown whose message could not be read";
  }
}

// The same with the error's name ("TypeError: …"), for what main itself throws.
function describeThrown(e) {
  let prefix = "";
  try {
    const name = e instanceof ErrorCtor ? e.name : undefined;
    if (typeof name === "string" && name !== "Error" && name !== "") prefix = name + ": ";
  } catch {}
  return prefix + readMessage(e);
}

function safeString(value) {
  try {
    if (typeof value === "string") return value;
    const text = stringify(value, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v));
    return text === undefined ? StringCtor(value) : text;
  } catch (e) {
    try { return StringCtor(value); } catch { return "[unprintable value]"; }
  }
}

let logLeft = settings.maxLogBytes;
let logClosed = false;
function closeLog() {
  logClosed = true;
  logSink.applyIgnored(undefined, ["[agentwf] log limit of " + settings.maxLogBytes + " bytes reached (limits.maxLogBytes); further wf.log output is dropped"], { arguments: { copy: true } });
}
function log(...args) {
  if (logClosed) return;
  if (logLeft <= 0) return closeLog();
  let text = "";
  for (let i = 0; i < args.length && text.length <= logLeft; i++) text += (i ? " " : "") + safeString(args[i]);
  // Cut in here, so a flood never crosses the boundary only to be dropped by the host.
  const cut = text.length > logLeft;
  if (cut) text = text.slice(0, logLeft);
  logLeft -= text.length;
  if (text !== "") logSink.applyIgnored(undefined, [text], { arguments: { copy: true } });
  if (cut) closeLog();
}

function callHost(request) {
  // A run-wide halt stops new sub-agents, not the applying of patches finished agents left.
  if (halted !== undefined && request.op === undefined) return PromiseCtor.reject(haltError());
  if (typeof request.prompt === "string" && request.prompt.length > settings.maxPromptChars) {
    return PromiseCtor.reject(new RangeErrorCtor("the prompt is " + request.prompt.length + " characters, over the " + settings.maxPromptChars + "-character limit for one sub-agent; pass less text, or use wf.reduceAgent, which truncates its input"));
  }
  let json;
  try {
    json = stringify(request, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v));
  } catch (e) {
    return PromiseCtor.reject(new TypeErrorCtor("agent options must be plain data (JSON): " + readMessage(e)));
  }
  // One message each way per call: the request goes out ignored (no promise of isolated-vm's to
  // resolve), and the host answers with control("settle", id, envelope), a task of its own whose
  // end tells the host this isolate has run every microtask the answer caused (see control below).
  const id = ++lastCallId;
  const answer = new PromiseCtor((resolve, reject) => {
    waiting[id] = (envelope) => {
      let result;
      try {
        result = parse(envelope);
      } catch {
        reject(new ErrorCtor("the host sent a malformed answer"));
        return;
      }
      if (typeof result.outputTokens === "number" && result.outputTokens > 0) outputTokensSpent += result.outputTokens;
      if (result.ok) {
        resolve(result.value);
        return;
      }
      if (result.halt && halted === undefined) halted = result.error;
      reject(new ErrorCtor(result.error));
    };
  });
  try {
    agentBridge.applyIgnored(undefined, [id, json], { arguments: { copy: true } });
  } catch (e) {
    delete waiting[id];
    return PromiseCtor.reject(e);
  }
  outstanding++;
  return answer;
}

// The host's answer to call id; an id with no call waiting (answered already) is ignored.
function settle(id, envelope) {
  const deliver = waiting[id];
  if (deliver === undefined) return;
  delete waiting[id];
  outstanding--;
  deliver(envelope);
}

// One error for every refused call: a flood of calls past the limit must not cost a stack trace
// each (20 000 of them outgrow a small memory limit).
let haltedError;
function haltError() {
  if (haltedError === undefined) haltedError = new ErrorCtor(halted);
  return haltedError;
}

function checkOptions(where, options) {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object") throw new TypeErrorCtor(where + ": options must be an object");
  return options;
}

function agentRequest(prompt, options, description) {
  const request = { prompt: StringCtor(prompt) };
  if (options.agent !== undefined) request.agent = StringCtor(options.agent);
  if (description !== undefined) request.description = StringCtor(description);
  if (options.model !== undefined) request.model = StringCtor(options.model);
  if (options.schema !== undefined) request.schema = options.schema;
  if (options.isolation !== undefined) request.isolation = StringCtor(options.isolation);
  return request;
}

function runAgent(prompt, options) {
  try {
    if (typeof prompt !== "string") throw new TypeErrorCtor("wf.runAgent: prompt must be a string");
    const opts = checkOptions("wf.runAgent", options);
    return callHost(agentRequest(prompt, opts, opts.description));
  } catch (e) {
    return PromiseCtor.reject(e);
  }
}

function fillTemplate(template, item, index) {
  const itemText = typeof item === "string" ? item : safeString(item);
  return template.split("{item}").join(itemText).split("{index}").join(StringCtor(index));
}

function defaultDescription(item, index) {
  const text = typeof item === "string" ? item : safeString(item);
  return text.length > 60 ? text.slice(0, 59) + "…" : text || "item " + index;
}

const LISTED_FAILURES = 10;

async function mapAgents(items, prompt, options) {
  if (!isArray(items)) throw new TypeErrorCtor("wf.mapAgents: items must be an array");
  if (typeof prompt !== "string" && typeof prompt !== "function") {
    throw new TypeErrorCtor("wf.mapAgents: prompt must be a string template or a function (item, index) => string");
  }
  const opts = checkOptions("wf.mapAgents", options);
  const limit = opts.maxConcurrency === undefined ? items.length : mathFloor(Number(opts.maxConcurrency));
  if (!(limit >= 1)) throw new TypeErrorCtor("wf.mapAgents: maxConcurrency must be a number of at least 1");
  const results = new Array(items.length);
  const failures = [];
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      // Past a run-wide refusal the rest of the items fail here, without a call each.
      if (halted !== undefined) {
        failures.push({ index, message: halted });
        results[index] = opts.settle ? { ok: false, error: halted } : undefined;
        continue;
      }
      const item = items[index];
      try {
        const text = typeof prompt === "function" ? await prompt(item, index) : fillTemplate(prompt, item, index);
        if (typeof text !== "string") throw new TypeErrorCtor("the prompt function returned " + typeof text + ", not a string");
        const description = typeof opts.description === "function"
          ? opts.description(item, index)
          : opts.description !== undefined ? opts.description : defaultDescription(item, index);
        const value = await callHost(agentRequest(text, opts, description));
        results[index] = opts.settle ? { ok: true, value } : value;
      } catch (e) {
        const message = readMessage(e);
        failures.push({ index, message });
        results[index] = opts.settle ? { ok: false, error: message } : undefined;
      }
    }
  }
  // No more workers than sub-agents can run at once: more would only queue calls in the host,
  // and a flood over 100 000 items would cross the boundary 100 000 times before the first refusal.
  const workers = [];
  for (let i = 0; i < mathMin(limit, items.length, settings.concurrency); i++) workers.push(worker());
  await PromiseCtor.all(workers);
  if (failures.length > 0 && !opts.settle) {
    failures.sort((a, b) => a.index - b.index);
    const listed = failures.slice(0, LISTED_FAILURES).map((f) => "[" + f.index + "] " + f.message).join("; ");
    const more = failures.length > LISTED_FAILURES ? "; and " + (failures.length - LISTED_FAILURES) + " more" : "";
    const error = new ErrorCtor("wf.mapAgents: " + failures.length + " of " + items.length + " items failed: " + listed + more);
    error.failures = failures;
    throw error;
  }
  return results;
}

function serializeForReduce(items) {
  const text = typeof items === "string" ? items : (() => {
    try {
      return stringify(items, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v), 2);
    } catch (e) {
      throw new TypeErrorCtor("wf.reduceAgent: items cannot be serialized to JSON: " + readMessage(e));
    }
  })();
  const budget = settings.reduceInputChars;
  if (text === undefined) return "undefined";
  if (text.length <= budget) return text;
  const cut = text.length - budget;
  return text.slice(0, budget) + "\n[… truncated by agentwf: " + cut + " of " + text.length + " characters cut …]";
}

function reduceAgent(items, prompt, options) {
  try {
    if (typeof prompt !== "string") throw new TypeErrorCtor("wf.reduceAgent: prompt must be a string");
    const opts = checkOptions("wf.reduceAgent", options);
    const full = prompt + "\n\n<inputs>\n" + serializeForReduce(items) + "\n</inputs>";
    return callHost(agentRequest(full, opts, opts.description !== undefined ? opts.description : "reduce"));
  } catch (e) {
    return PromiseCtor.reject(e);
  }
}

// A Claude-format call may take at most maxItemsPerCall items: past that it is an explicit error
// before anything starts, never a silent truncation. wf's calls keep their own rule (items past
// --max-agents fail one by one), which workflows written for it rely on.
function checkItems(where, count) {
  if (count > settings.maxItemsPerCall) {
    throw new RangeErrorCtor(where + ": " + count + " items, over the limit of " + settings.maxItemsPerCall + " per call (nothing was started); split the work into batches");
  }
}

function pipeline(items, ...stages) {
  return pipelineOf("wf.pipeline", items, stages, false);
}

async function pipelineOf(where, items, stages, capped) {
  if (!isArray(items)) throw new TypeErrorCtor(where + ": items must be an array");
  if (capped) checkItems(where, items.length);
  for (const stage of stages) {
    if (typeof stage !== "function") throw new TypeErrorCtor(where + ": every stage must be a function (value, item, index) => value");
  }
  // No barrier between stages: each item moves on as soon as its own stage finishes. Items enter
  // as slots free up, at most as many at once as sub-agents may run, so 20 000 items do not hold
  // 20 000 chains (and their calls) in memory at once.
  const results = new Array(items.length);
  let next = 0;
  async function carry() {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      let value = item;
      results[index] = null;
      let failed = false;
      for (let s = 0; s < stages.length && !failed; s++) {
        try {
          value = await stages[s](value, item, index);
        } catch (e) {
          failed = true;
          log(where + ": item " + index + " failed at stage " + (s + 1) + ", its result is null: " + readMessage(e));
        }
      }
      if (!failed) results[index] = value;
    }
  }
  const carriers = [];
  for (let i = 0; i < mathMin(items.length, settings.concurrency); i++) carriers.push(carry());
  await PromiseCtor.all(carriers);
  return results;
}

// The id of one isolated agent's patch, from what the workflow holds: a worktree result
// ({value, patch}), a settled one ({ok, value: {value, patch}}), a patch, or its id.
function patchIdOf(entry, index) {
  if (entry === null || entry === undefined) return undefined;
  if (typeof entry === "string") return entry;
  if (typeof entry !== "object") throw new TypeErrorCtor("wf.applyPatches: item " + index + " is a " + typeof entry + ", not a result of an isolated agent");
  if (entry.ok === false) return undefined;
  if (entry.ok === true) entry = entry.value;
  const patch = entry !== null && typeof entry === "object" && "patch" in entry ? entry.patch : entry;
  if (patch === null || patch === undefined) return undefined;
  if (typeof patch !== "object" || typeof patch.id !== "string") {
    throw new TypeErrorCtor("wf.applyPatches: item " + index + " has no patch; pass the results of wf.runAgent or wf.mapAgents with { isolation: \"worktree\" }");
  }
  return patch.id;
}

function applyPatches(results) {
  try {
    const list = isArray(results) ? results : [results];
    const ids = [];
    for (let i = 0; i < list.length; i++) {
      const id = patchIdOf(list[i], i);
      if (id !== undefined) ids.push(StringCtor(id));
    }
    return callHost({ op: "apply_patches", ids });
  } catch (e) {
    return PromiseCtor.reject(e);
  }
}

function flatten(values) {
  if (!isArray(values)) throw new TypeErrorCtor("wf.flatten: values must be an array");
  const out = [];
  for (const value of values) {
    if (isArray(value)) for (const inner of value) out.push(inner);
    else out.push(value);
  }
  return out;
}

const input = $2 === undefined ? undefined : parse($2);
const wf = freeze({ runAgent, mapAgents, reduceAgent, pipeline, flatten, applyPatches, log, input });
const consoleObject = freeze({ log, info: log, warn: log, error: log, debug: log });
defineProperty(globalThis, "wf", { value: wf, writable: false, enumerable: false, configurable: false });
defineProperty(globalThis, "console", { value: consoleObject, writable: false, enumerable: false, configurable: false });
${CLAUDE_RUNTIME_SOURCE}

function encodeResult(value) {
  if (typeof value === "string") return stringify({ type: "string", value });
  if (value === undefined) return stringify({ type: "undefined" });
  try {
    const text = stringify(value, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v), 2);
    return stringify({ type: "json", value: text === undefined ? "null" : text });
  } catch (e) {
    return stringify({ type: "error", error: "main returned a value that is not JSON data (" + readMessage(e) + "); return a string, or plain objects and arrays" });
  }
}

function encodeError(e) {
  // V8 reports an ArrayBuffer it could not allocate as a RangeError: that is the memory limit.
  let memory = false;
  try { memory = e instanceof RangeErrorCtor && e.message === "Array buffer allocation failed"; } catch {}
  return stringify({ type: "error", error: describeThrown(e), ...(memory ? { kind: "memory" } : {}) });
}

// The result leaves through the sink as soon as main settles, even if code main left running
// keeps the isolate busy so that this task never ends.
function deliver(envelope) {
  mainDone = true;
  resultSink.applyIgnored(undefined, [envelope], { arguments: { copy: true } });
  return envelope;
}

function start() {
  if (started) return PromiseCtor.resolve(stringify({ type: "error", error: "main was started twice" }));
  started = true;
  const main = globalThis.main;
  if (typeof main !== "function") return PromiseCtor.resolve(deliver(stringify({ type: "error", error: "the workflow defines no function main(wf)" })));
  let pending;
  try {
    pending = PromiseCtor.resolve(main(wf));
  } catch (e) {
    pending = PromiseCtor.reject(e);
  }
  return promiseThen.call(pending, (value) => deliver(encodeResult(value)), (e) => deliver(encodeError(e)));
}

// The host's handle: "start" once, after the workflow's code has run and defined main; "settle"
// with the answer to each host call; "idle" whenever it wants to know whether main is stuck. Each
// runs as its own task, and isolated-vm runs every microtask of a task before it reports the task
// done, so "idle" sees all earlier work finished.
return function control(op, id, envelope) {
  if (op === "settle") return settle(id, envelope);
  if (op === "start") return start();
  return !mainDone && outstanding === 0;
};
`;
