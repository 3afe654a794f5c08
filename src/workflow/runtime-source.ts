// The `wf` object as it lives inside the isolate. This text runs in the isolate before the
// workflow's own code, through `evalClosure`, with these arguments:
//   $0  Reference to the host's agent bridge: (requestJson) => Promise<envelopeJson>
//   $1  Reference to the host's log sink: (text) => void
//   $2  the input, as JSON text (or undefined)
//   $3  settings, as JSON text
//   $4  Reference to the host's idle notice: () => void, called when no host call is outstanding
// The references stay in this closure's locals: never on a global, never on `wf`, because each is
// a way back into the host (isolated-vm README, "SECURITY"). Only strings cross the boundary, and
// they are made with JSON functions captured here before user code can replace them.
export const RUNTIME_SOURCE = String.raw`
const agentBridge = $0;
const logSink = $1;
const idleNotice = $4;
// Host calls this isolate is waiting on, and whether main has settled: together they tell the
// host, exactly, when nothing can ever happen again (the isolate has no timers or I/O).
let outstanding = 0;
let mainDone = false;
const settings = JSON.parse($3);
const stringify = JSON.stringify;
const parse = JSON.parse;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const PromiseCtor = Promise;
const isArray = Array.isArray;
const StringCtor = String;
const freeze = Object.freeze;
const defineProperty = Object.defineProperty;
const promiseThen = Promise.prototype.then;

// What the host must not share with generated code: WebAssembly memory escapes memoryLimit, and
// SharedArrayBuffer and Atomics have no use here but timing attacks.
for (const name of ["WebAssembly", "SharedArrayBuffer", "Atomics"]) {
  try { delete globalThis[name]; } catch {}
}

function safeString(value) {
  try {
    if (typeof value === "string") return value;
    if (value instanceof ErrorCtor) return StringCtor(value.message);
    const text = stringify(value, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v));
    return text === undefined ? StringCtor(value) : text;
  } catch (e) {
    try { return StringCtor(value); } catch { return "[unprintable value]"; }
  }
}

function log(...args) {
  let text = "";
  for (let i = 0; i < args.length; i++) text += (i ? " " : "") + safeString(args[i]);
  logSink.applyIgnored(undefined, [text], { arguments: { copy: true } });
}

function callHost(request) {
  let json;
  try {
    json = stringify(request, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v));
  } catch (e) {
    return PromiseCtor.reject(new TypeErrorCtor("agent options must be plain data (JSON): " + safeString(e)));
  }
  const pending = agentBridge.apply(undefined, [json], { arguments: { copy: true }, result: { promise: true, copy: true } });
  outstanding++;
  const settled = () => {
    outstanding--;
    if (outstanding === 0) idleNotice.applyIgnored(undefined, [], { arguments: { copy: true } });
  };
  return promiseThen.call(pending, (envelope) => {
    settled();
    const result = parse(envelope);
    if (result.ok) return result.value;
    throw new ErrorCtor(result.error);
  }, (e) => {
    settled();
    throw e;
  });
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

async function mapAgents(items, prompt, options) {
  if (!isArray(items)) throw new TypeErrorCtor("wf.mapAgents: items must be an array");
  if (typeof prompt !== "string" && typeof prompt !== "function") {
    throw new TypeErrorCtor("wf.mapAgents: prompt must be a string template or a function (item, index) => string");
  }
  const opts = checkOptions("wf.mapAgents", options);
  const limit = opts.maxConcurrency === undefined ? items.length : Math.floor(Number(opts.maxConcurrency));
  if (!(limit >= 1)) throw new TypeErrorCtor("wf.mapAgents: maxConcurrency must be a number of at least 1");
  const results = new Array(items.length);
  const failures = [];
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
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
        const message = e instanceof ErrorCtor ? e.message : safeString(e);
        failures.push({ index, message });
        results[index] = opts.settle ? { ok: false, error: message } : undefined;
      }
    }
  }
  const workers = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) workers.push(worker());
  await PromiseCtor.all(workers);
  if (failures.length > 0 && !opts.settle) {
    failures.sort((a, b) => a.index - b.index);
    const list = failures.map((f) => "[" + f.index + "] " + f.message).join("; ");
    const error = new ErrorCtor("wf.mapAgents: " + failures.length + " of " + items.length + " items failed: " + list);
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
      throw new TypeErrorCtor("wf.reduceAgent: items cannot be serialized to JSON: " + safeString(e));
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

async function pipeline(items, ...stages) {
  if (!isArray(items)) throw new TypeErrorCtor("wf.pipeline: items must be an array");
  for (const stage of stages) {
    if (typeof stage !== "function") throw new TypeErrorCtor("wf.pipeline: every stage must be a function (value, item, index) => value");
  }
  // No barrier between stages: each item moves on as soon as its own stage finishes.
  return PromiseCtor.all(items.map(async (item, index) => {
    let value = item;
    for (let s = 0; s < stages.length; s++) {
      try {
        value = await stages[s](value, item, index);
      } catch (e) {
        log("wf.pipeline: item " + index + " failed at stage " + (s + 1) + ": " + (e instanceof ErrorCtor ? e.message : safeString(e)));
        return null;
      }
    }
    return value;
  }));
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
const wf = freeze({ runAgent, mapAgents, reduceAgent, pipeline, flatten, log, input });
const consoleObject = freeze({ log, info: log, warn: log, error: log, debug: log });
defineProperty(globalThis, "wf", { value: wf, writable: false, enumerable: false, configurable: false });
defineProperty(globalThis, "console", { value: consoleObject, writable: false, enumerable: false, configurable: false });

function encodeResult(value) {
  if (typeof value === "string") return stringify({ type: "string", value });
  if (value === undefined) return stringify({ type: "undefined" });
  try {
    const text = stringify(value, (k, v) => (typeof v === "bigint" ? StringCtor(v) : v), 2);
    return stringify({ type: "json", value: text === undefined ? "null" : text });
  } catch (e) {
    return stringify({ type: "error", error: "main returned a value that is not JSON data (" + safeString(e) + "); return a string, or plain objects and arrays" });
  }
}

function start() {
  const main = globalThis.main;
  if (typeof main !== "function") return PromiseCtor.resolve(stringify({ type: "error", error: "the workflow defines no function main(wf)" }));
  let pending;
  try {
    pending = PromiseCtor.resolve(main(wf));
  } catch (e) {
    pending = PromiseCtor.reject(e);
  }
  return promiseThen.call(pending, (value) => {
    mainDone = true;
    return encodeResult(value);
  }, (e) => {
    mainDone = true;
    const message = e instanceof ErrorCtor ? (e.name && e.name !== "Error" ? e.name + ": " : "") + e.message : safeString(e);
    return stringify({ type: "error", error: StringCtor(message) });
  });
}

// The host's handle: "start" once, after the workflow's code has run and defined main; "idle"
// whenever it wants to know whether main is stuck. Runs as its own task, so every microtask of
// earlier work has run by then.
return function control(op) {
  if (op === "start") return start();
  return !mainDone && outstanding === 0;
};
`;
