// Hostile corpus, part 1: code that tries to leave the isolate (constructor chains, eval, dynamic
// import, scans of the global object and the stack, prototype pollution aimed at the runtime's
// bridge) and code that hides what it does from the person who approves it. Runtime containment is
// tested on code that validation would refuse too; validation is tested on its own below.
import { isolatedVm } from "../../src/workflow/isolated-vm.js";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic, validateWorkflow } from "../../src/workflow/validate.js";
import {
  CASE_TIMEOUT_MS,
  RAW_CONTROL,
  expectContained,
  expectHostHealthy,
  expectJsonResult,
  expectResult,
  jsonResult,
  runHostile,
} from "./hostile-harness.js";

// In-isolate helpers: `hostish(v)` says whether v looks like an isolated-vm handle (a Reference,
// ExternalCopy, Callback, Isolate or Context), each of which would be a way back into the host;
// `note(where, v)` records such a find.
const HUNT = `
function hostish(v) {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) return false;
  for (const k of ["applySync", "applyIgnored", "applySyncPromise", "derefInto", "copyInto", "setSync", "getSync", "compileScript", "evalClosure"]) {
    try { if (k in v) return k; } catch {}
  }
  try {
    const name = v.constructor && v.constructor.name;
    if (typeof name === "string" && /^(Reference|ExternalCopy|Isolate|Context|Callback|Script|Module|NativeModule)$/.test(name)) return name;
  } catch {}
  return false;
}
const found = [];
function note(where, v) { const h = hostish(v); if (h) found.push(where + ": " + h); }
function accessor(target, key, get, set) {
  const d = Object.create(null);
  d.get = get;
  if (set) d.set = set;
  d.configurable = true;
  Object.defineProperty(target, key, d);
}
`;

// What a fresh context holds by the ECMAScript and ECMA-402 standards, plus the two names the
// runtime adds and the workflow's own `main`. Anything else on the global object is a leak.
const STANDARD_GLOBALS = new Set([
  "AggregateError", "Array", "ArrayBuffer", "AsyncDisposableStack", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean",
  "DataView", "Date", "DisposableStack", "Error", "EvalError", "FinalizationRegistry", "Float16Array", "Float32Array",
  "Float64Array", "Function", "Infinity", "Int16Array", "Int32Array", "Int8Array", "Intl", "Iterator", "JSON", "Map",
  "Math", "NaN", "Number", "Object", "Promise", "Proxy", "RangeError", "ReferenceError", "Reflect", "RegExp", "Set",
  "String", "SuppressedError", "Symbol", "SyntaxError", "TypeError", "URIError", "Uint16Array", "Uint32Array",
  "Uint8Array", "Uint8ClampedArray", "WeakMap", "WeakRef", "WeakSet", "decodeURI", "decodeURIComponent", "encodeURI",
  "encodeURIComponent", "escape", "eval", "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "undefined",
  "unescape",
  "wf", "console", "main",
]);

const HOST_NAMES = [
  "process", "require", "module", "exports", "Buffer", "global", "setTimeout", "setInterval", "setImmediate",
  "queueMicrotask", "fetch", "XMLHttpRequest", "WebSocket", "Deno", "Bun", "ivm", "_ivm", "isolatedVm", "WebAssembly",
  "SharedArrayBuffer", "Atomics", "$0", "$1", "$2", "$3", "$4", "$5", "agentBridge", "logSink", "idleNotice", "control",
  "settle", "waiting", "resultSink", "phaseSink",
];

let baselineRss = 0;
beforeAll(() => {
  baselineRss = process.memoryUsage().rss;
});
afterEach(async () => {
  await expectHostHealthy(baselineRss);
}, CASE_TIMEOUT_MS);

describe("hostile workflows: escape attempts stay inside the isolate", () => {
  it("the in-isolate hunt recognises real isolated-vm handles (so an empty find means something)", () => {
    const ivm = isolatedVm();
    const handles = [new ivm.Reference(() => 1), new ivm.ExternalCopy({ a: 1 }), new ivm.Callback(() => 1)];
    const keys = ["applySync", "applyIgnored", "applySyncPromise", "derefInto", "copyInto", "setSync", "getSync"];
    for (const handle of handles) {
      const name = (handle as object).constructor.name;
      expect(keys.some((k) => k in handle) || /^(Reference|ExternalCopy|Callback)$/.test(name)).toBe(true);
    }
  });

  const NO_CODEGEN = "EvalError: code generation from strings is disabled in workflows";

  it("a constructor chain `this.constructor.constructor('return process')()` cannot compile code", async () => {
    const run = await runHostile(`async function main(wf) {
      const F = this.constructor.constructor;
      try { return F("return process")(); } catch (e) { return e.name + ": " + e.message; }
    }`);
    expect(run.outcome).toMatchObject({ ok: true, result: expect.stringContaining(NO_CODEGEN) });
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("the Function constructors of every function kind, wf's included, cannot compile code", async () => {
    const run = await runHostile(`async function main(wf) {
      const ctors = [
        Object.getPrototypeOf(async function () {}).constructor,
        Object.getPrototypeOf(function* () {}).constructor,
        Object.getPrototypeOf(async function* () {}).constructor,
        wf.runAgent.constructor,
        Function,
        (() => {}).constructor,
      ];
      const out = [];
      for (const C of ctors) {
        try { C("return typeof process"); out.push("COMPILED"); } catch (e) { out.push(e.name); }
        try { new C("return 1"); out.push("COMPILED"); } catch (e) { out.push(e.name); }
      }
      // The block cannot be undone: the properties are frozen.
      try { Object.defineProperty(Function.prototype, "constructor", { value: 1 }); out.push("REDEFINED"); } catch (e) { out.push(e.name); }
      return out.join(",");
    }`);
    expect(run.outcome).toMatchObject({ ok: true, result: [...Array(12).fill("EvalError"), "TypeError"].join(",") });
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("direct, indirect and computed eval cannot compile code", async () => {
    const run = await runHostile(`async function main(wf) {
      const out = [];
      for (const attempt of [() => eval("1"), () => (0, eval)("1"), () => globalThis["ev" + "al"]("1")]) {
        try { attempt(); out.push("EVALUATED"); } catch (e) { out.push(e.name); }
      }
      return out.join(",");
    }`);
    expect(run.outcome).toMatchObject({ ok: true, result: "EvalError,EvalError,EvalError" });
  }, CASE_TIMEOUT_MS);

  it("dynamic import() of node:fs, a data: URL and a relative path all fail inside the isolate", async () => {
    const run = await runHostile(`async function main(wf) {
      const out = [];
      for (const spec of ["node:fs", "data:text/javascript,export default 1", "../../../etc/passwd", "isolated-vm"]) {
        try { const m = await import(spec); out.push("IMPORTED " + spec + " " + typeof m); }
        catch (e) { out.push("refused"); }
      }
      return out;
    }`);
    expectJsonResult(run, ["refused", "refused", "refused", "refused"]);
    expect(run.requests).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("the global object holds only standard names, wf, console and main", async () => {
    const run = await runHostile(`async function main(wf) {
      const names = Reflect.ownKeys(globalThis).map((k) => typeof k === "symbol" ? k.toString() : k);
      const host = ${JSON.stringify(HOST_NAMES)}.filter((n) => { try { return typeof globalThis[n] !== "undefined" || eval("typeof " + n) !== "undefined"; } catch { return false; } });
      return { names, host };
    }`);
    const { names, host } = jsonResult(run) as { names: string[]; host: string[] };
    expect(host).toEqual([]);
    expect(names.filter((n) => !STANDARD_GLOBALS.has(n) && !n.startsWith("Symbol("))).toEqual([]);
  }, CASE_TIMEOUT_MS);

  it("a crawl of every object reachable from the global object finds no isolated-vm handle", async () => {
    const run = await runHostile(`${HUNT}
    async function main(wf) {
      const seen = new Set();
      const queue = [globalThis, wf, console, main];
      while (queue.length > 0) {
        const v = queue.pop();
        if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v)) continue;
        seen.add(v);
        note("reachable", v);
        queue.push(Object.getPrototypeOf(v));
        for (const key of Reflect.ownKeys(v)) {
          const d = Reflect.getOwnPropertyDescriptor(v, key);
          if (d === undefined) continue;
          queue.push(d.value, d.get, d.set);
          // Call accessors too, on their own object: a getter may hand out what a value hides.
          if (d.get) { try { queue.push(Reflect.apply(d.get, v, [])); } catch {} }
        }
      }
      return { visited: seen.size, found };
    }`);
    const { visited, found } = jsonResult(run) as { visited: number; found: string[] };
    expect(found).toEqual([]);
    expect(visited).toBeGreaterThan(500);
  }, CASE_TIMEOUT_MS);

  it("stack frames captured with Error.prepareStackTrace inside every wf call expose no handle", async () => {
    const run = await runHostile(`${HUNT}
    async function main(wf) {
      Error.prepareStackTrace = (error, frames) => {
        for (const frame of frames) {
          for (const get of ["getThis", "getFunction"]) { try { note("frame." + get, frame[get]()); } catch {} }
        }
        return "";
      };
      const spy = () => { new Error().stack; };
      await wf.runAgent("p", { get agent() { spy(); return undefined; }, get model() { spy(); return undefined; } });
      await wf.mapAgents([1], (x) => { spy(); return "q"; }, { description: () => { spy(); return "d"; } });
      await wf.pipeline([1], (v) => { spy(); return v; });
      await wf.reduceAgent({ toJSON() { spy(); return 1; } }, "r");
      return found;
    }`);
    expectJsonResult(run, []);
    expect(run.requests.map((r) => r.prompt)).toEqual(["p", "q", "r\n\n<inputs>\n1\n</inputs>"]);
  }, CASE_TIMEOUT_MS);

  it("walking fn.caller and fn.arguments up from user callbacks finds no handle", async () => {
    const run = await runHostile(`${HUNT}
    async function main(wf) {
      function walk(start) {
        let f = start;
        for (let depth = 0; f && depth < 30; depth++) {
          try { const args = f.arguments; if (args) for (const a of args) note(f.name + ".arguments", a); } catch {}
          try { f = f.caller; } catch { break; }
        }
      }
      const opts = {};
      accessor(opts, "agent", function agentGetter() { walk(agentGetter); return undefined; });
      await wf.runAgent("p", opts);
      await wf.mapAgents([1], function promptFn() { walk(promptFn); return "q"; });
      await wf.reduceAgent({ toJSON: function toJSON() { walk(toJSON); return 1; } }, "r");
      return found;
    }`);
    expectJsonResult(run, []);
    expect(run.requests).toHaveLength(3);
  }, CASE_TIMEOUT_MS);

  it("accessors planted on Object.prototype for the bridge's option names see no handle and change nothing", async () => {
    const run = await runHostile(`${HUNT}
    async function main(wf) {
      for (const key of ["copy", "promise", "reference", "result", "arguments", "timeout", "ok", "value", "error", "type", "prompt", "schema", "then"]) {
        accessor(Object.prototype, key, function () { note(key + " get", this); return undefined; }, function (v) { note(key + " set", v); });
      }
      const one = await wf.runAgent("p", {});
      const many = await wf.mapAgents([1, 2], "{item}");
      return [one, many, found];
    }`);
    expectJsonResult(run, ["echo: p", ["echo: 1", "echo: 2"], []]);
    expect(run.requests.map((r) => r.prompt)).toEqual(["p", "1", "2"]);
  }, CASE_TIMEOUT_MS);

  it("JSON.stringify and JSON.parse replaced before wf calls cannot forge what crosses the boundary", async () => {
    const run = await runHostile(`async function main(wf) {
      JSON.stringify = () => '{"type":"string","value":"forged by stringify"}';
      JSON.parse = () => ({ ok: true, value: "forged by parse" });
      const one = await wf.runAgent("p");
      const many = await wf.mapAgents(["a"], "{item}");
      return "real: " + one + " / " + many[0];
    }`);
    expectResult(run, "real: echo: p / echo: a");
    expect(run.requests.map((r) => r.prompt)).toEqual(["p", "a"]);
  }, CASE_TIMEOUT_MS);

  it("Function.prototype.apply/call, Promise.prototype.then, Array methods and Object.freeze hooks see no handle", async () => {
    const run = await runHostile(`${HUNT}
    async function main(wf) {
      const then = Promise.prototype.then, push = Array.prototype.push, map = Array.prototype.map;
      Function.prototype.apply = function (...a) { note("apply this", this); for (const x of a) note("apply arg", x); return Reflect.apply(this, a[0], a[1] || []); };
      Function.prototype.call = function (t, ...a) { note("call this", this); note("call t", t); for (const x of a) note("call arg", x); return Reflect.apply(this, t, a); };
      Promise.prototype.then = function (a, b) { note("then this", this); return Reflect.apply(then, this, [a, b]); };
      Array.prototype.push = function (...xs) { for (const x of xs) note("push", x); return Reflect.apply(push, this, xs); };
      Array.prototype.map = function (f) { note("map this", this); return Reflect.apply(map, this, [f]); };
      Object.freeze = (x) => { note("freeze", x); return x; };
      const one = await wf.runAgent("p");
      const many = await wf.mapAgents([1, 2], "{item}");
      const piped = await wf.pipeline([3], (v) => wf.runAgent("s" + v));
      return [one, many, piped, found];
    }`);
    expectJsonResult(run, ["echo: p", ["echo: 1", "echo: 2"], ["echo: s3"], []]);
  }, CASE_TIMEOUT_MS);

  it("a Promise subclass installed as Promise's constructor and species sees no handle", async () => {
    const run = await runHostile(`${HUNT}
    async function main(wf) {
      class Evil extends Promise {
        constructor(executor) {
          super((resolve, reject) => executor((v) => { note("resolve", v); resolve(v); }, (e) => { note("reject", e); reject(e); }));
        }
      }
      Promise.prototype.constructor = Evil;
      Object.defineProperty(Promise, Symbol.species, { get() { return Evil; }, configurable: true });
      const one = await wf.runAgent("p");
      return [one, found];
    }`);
    expectJsonResult(run, ["echo: p", []]);
  }, CASE_TIMEOUT_MS);

  it("wf and console cannot be replaced, and a replaced Error constructor does not fool the runtime's checks", async () => {
    const run = await runHostile(`async function main(wf) {
      try { globalThis.wf = { runAgent: async () => "forged" }; } catch {}
      try { Object.defineProperty(globalThis, "console", { value: { log() {} } }); } catch {}
      try { delete globalThis.wf; } catch {}
      try { wf.runAgent = async () => "forged"; } catch {}
      try { console.log = () => {}; } catch {}
      globalThis.Error = function FakeError() { this.message = "forged"; };
      globalThis.TypeError = globalThis.Error;
      console.log("still logging");
      let refused = "";
      try { await globalThis.wf.runAgent(42); } catch (e) { refused = String(e.message); }
      return [Object.isFrozen(wf), await globalThis.wf.runAgent("real"), refused];
    }`);
    expectJsonResult(run, [true, "echo: real", "wf.runAgent: prompt must be a string"]);
    expect(run.logs).toEqual(["still logging"]);
    expect(run.requests.map((r) => r.prompt)).toEqual(["real"]);
  }, CASE_TIMEOUT_MS);

  it("the runtime's closure arguments ($0…$4) are not visible to top-level code or main", async () => {
    const run = await runHostile(`var atTop = [typeof arguments, typeof $0, typeof $1, typeof $2, typeof $3, typeof $4];
    async function main(wf) {
      return [atTop, [typeof $0, typeof $4, arguments.length, arguments[0] === wf]];
    }`);
    expectJsonResult(run, [["undefined", "undefined", "undefined", "undefined", "undefined", "undefined"], ["undefined", "undefined", 1, true]]);
  }, CASE_TIMEOUT_MS);

  it("WebAssembly, SharedArrayBuffer and Atomics are gone, under every name", async () => {
    const run = await runHostile(`async function main(wf) {
      const names = Reflect.ownKeys(globalThis).filter((k) => typeof k === "string" && /wasm|webassembly|shared|atomics/i.test(k));
      let compiled = "no";
      try { compiled = typeof eval("WebAssembly").Module; } catch {}
      return [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics, names, compiled];
    }`);
    expectJsonResult(run, ["undefined", "undefined", "undefined", [], "no"]);
  }, CASE_TIMEOUT_MS);
});

describe("hostile workflows: validation rejects deceptive code and forbidden calls with line:column", () => {
  const cases: ReadonlyArray<{ name: string; code: string; at: Array<[number, number]>; message: RegExp }> = [
    {
      name: "bidi override characters that make a string read as a comment (Trojan Source)",
      code: 'async function main(wf) {\n  const access = "user";\n  if (access !== "user\u202E \u2066// admin only\u2069 \u2066") { return "admin"; }\n  return wf.runAgent("x");\n}\n',
      at: [[3, 23], [3, 25], [3, 39], [3, 41]],
      message: /bidirectional control character \(U\+202E\)/,
    },
    {
      name: "a zero-width joiner inside an identifier that makes two variables look alike",
      code: 'async function main(wf) {\n  const ok = 1;\n  const o\u200Dk = 2;\n  return wf.runAgent("x" + o\u200Dk);\n}\n',
      at: [[3, 10], [4, 29]],
      message: /invisible character \(U\+200D\)/,
    },
    {
      name: "a zero-width space in a comment",
      code: 'async function main(wf) {\n  // harmless\u200B\n  return wf.runAgent("x");\n}\n',
      at: [[2, 14]],
      message: /invisible character \(U\+200B\)/,
    },
    {
      name: "a Hangul filler used as an invisible variable name",
      code: 'async function main(wf) {\n  const \u3164 = "rm -rf";\n  return wf.runAgent("x" + \u3164);\n}\n',
      at: [[2, 9], [3, 28]],
      message: /invisible character \(U\+3164\)/,
    },
    {
      name: "a raw escape sequence that clears the reviewer's terminal",
      code: 'async function main(wf) {\n  const s = "a\x1b[2Jb";\n  return wf.runAgent(s);\n}\n',
      at: [[2, 15]],
      message: /control character \(U\+001B\)/,
    },
    { name: "eval()", code: 'async function main(wf) {\n  return eval("typeof process");\n}\n', at: [[2, 10]], message: /eval\(\) is not allowed/ },
    {
      name: "new Function()",
      code: 'async function main(wf) {\n  return new Function("return process")();\n}\n',
      at: [[2, 10]],
      message: /Function constructor is not allowed/,
    },
    { name: "Function()", code: 'async function main(wf) {\n  return Function("return process")();\n}\n', at: [[2, 10]], message: /Function constructor is not allowed/ },
    {
      name: "dynamic import()",
      code: 'async function main(wf) {\n  const fs = await import("node:fs");\n  return fs.readFileSync("/etc/passwd", "utf8");\n}\n',
      at: [[2, 20]],
      message: /dynamic import\(\) is not allowed/,
    },
    {
      name: "require()",
      code: 'async function main(wf) {\n  const cp = require("child_process");\n  return cp.execSync("id").toString();\n}\n',
      at: [[2, 14]],
      message: /require\(\) does not exist/,
    },
    {
      name: "a static import",
      code: 'import fs from "node:fs";\nasync function main(wf) {\n  return "x";\n}\n',
      at: [[1, 1]],
      message: /import\/export statements are not allowed/,
    },
    { name: "import.meta", code: 'async function main(wf) {\n  return String(import.meta.url);\n}\n', at: [[2, 17]], message: /.+/ },
  ];

  it.each(cases)("rejects $name", ({ code, at, message }) => {
    const result = validateWorkflow(code, 100_000);
    expect(result.ok).toBe(false);
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    for (const [line, column] of at) {
      expect(errors.some((d) => d.line === line && d.column === column), `an error at ${line}:${column}`).toBe(true);
    }
    expect(errors.some((d) => message.test(d.message))).toBe(true);
    for (const d of result.diagnostics) {
      expect(formatDiagnostic(d)).toMatch(/^\d+:\d+ (error|warning): /);
      expect(d.message).not.toMatch(RAW_CONTROL);
    }
  }, CASE_TIMEOUT_MS);

  it("the code validation refuses is still contained when it runs anyway", async () => {
    for (const { code } of cases.filter((c) => !c.code.startsWith("import "))) {
      const run = await runHostile(code);
      expectContained(run);
      if (run.outcome.ok) expect(run.outcome.result).not.toMatch(/root:|uid=|object|function/);
    }
  }, CASE_TIMEOUT_MS * 2);
});
