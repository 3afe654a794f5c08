// The globals of a Claude Code–format script, as they live inside the isolate. This text is spliced
// into RUNTIME_SOURCE (runtime-source.ts) after the shared functions it calls (callHost, log,
// pipeline, readMessage) and runs only when settings.dialect is "claude". Semantics follow Claude
// Code's Workflow tool description (Piebald-AI/claude-code-system-prompts) and its documentation:
//   agent()    resolves to null when the sub-agent fails; throws once the run may start no more
//   parallel() a barrier that never rejects: a thunk that throws gives null
//   pipeline() no barrier; a stage that throws turns that item into null and skips its later stages
//   phase()    later agent() calls are grouped under the title (a title not in meta.phases gets a group of its own)
//   Date.now(), Math.random() and an argument-less new Date() throw: a replayed run must see the
//   same values (pass timestamps in through args instead)
export const CLAUDE_RUNTIME_SOURCE = String.raw`
const EFFORT_TIERS = ["low", "medium", "high", "xhigh", "max"];
let currentPhase;

function sendPhase(title) {
  phaseSink.applyIgnored(undefined, [title], { arguments: { copy: true } });
}

function phase(title) {
  if (typeof title !== "string" || title === "") throw new TypeErrorCtor("phase: the title must be a non-empty string");
  currentPhase = title.length > 80 ? title.slice(0, 80) : title;
  sendPhase(currentPhase);
}

function claudeAgent(prompt, options) {
  let request;
  try {
    if (typeof prompt !== "string") throw new TypeErrorCtor("agent: the prompt must be a string");
    const opts = checkOptions("agent", options);
    if (opts.isolation !== undefined && opts.isolation !== "worktree") {
      throw new TypeErrorCtor("agent: isolation '" + safeString(opts.isolation) + "' is not available in agentwf (sub-agents run on this machine); remove the option");
    }
    if (opts.effort !== undefined && !EFFORT_TIERS.includes(opts.effort)) {
      throw new TypeErrorCtor("agent: effort '" + safeString(opts.effort) + "' is unknown; use one of " + EFFORT_TIERS.join(", "));
    }
    request = { prompt };
    if (opts.agentType !== undefined) request.agent = StringCtor(opts.agentType);
    if (opts.label !== undefined) request.description = StringCtor(opts.label);
    if (opts.model !== undefined) request.model = StringCtor(opts.model);
    if (opts.schema !== undefined) request.schema = opts.schema;
    const group = opts.phase !== undefined ? StringCtor(opts.phase) : currentPhase;
    if (group !== undefined) request.phase = group;
  } catch (e) {
    return PromiseCtor.reject(e);
  }
  return promiseThen.call(callHost(request), undefined, (e) => {
    // A refusal for the whole run (--max-agents, --budget) stops the script; one failed sub-agent
    // is a null result, which the script filters out.
    if (halted !== undefined) throw e;
    log("agent " + (request.description !== undefined ? "'" + request.description + "' " : "") + "failed, its result is null: " + readMessage(e));
    return null;
  });
}

async function parallel(thunks) {
  if (!isArray(thunks)) throw new TypeErrorCtor("parallel: expects an array of functions, e.g. items.map((x) => () => agent(...))");
  checkItems("parallel", thunks.length);
  const runs = [];
  for (let i = 0; i < thunks.length; i++) {
    const thunk = thunks[i];
    const run = (async () => {
      if (typeof thunk !== "function") throw new TypeErrorCtor("item " + i + " is not a function; wrap it: () => agent(...)");
      return await thunk();
    })();
    runs.push(promiseThen.call(run, undefined, (e) => {
      log("parallel: item " + i + " failed, its result is null: " + readMessage(e));
      return null;
    }));
  }
  return await promiseAll.call(PromiseCtor, runs);
}

function claudePipeline(items, ...stages) {
  return pipelineOf("pipeline", items, stages, true);
}

// Output tokens of this workflow's sub-agents so far, as the host reports them with each result.
const budget = freeze({
  total: settings.budgetTokens === undefined ? null : settings.budgetTokens,
  spent: () => outputTokensSpent,
  remaining: () => (settings.budgetTokens === undefined ? Infinity : mathMax(0, settings.budgetTokens - outputTokensSpent)),
});

function deterministicClock() {
  const RealDate = Date;
  const refuse = (what) => function () {
    throw new ErrorCtor(what + " is unavailable in workflow scripts: a resumed run must replay the same values; pass timestamps in through args, or stamp results after the workflow returns");
  };
  const refuseNow = refuse("Date.now()");
  const refuseNew = refuse("new Date() without a value (and Date())");
  const construct = Reflect.construct;
  const SafeDate = function Date(...values) {
    if (new.target === undefined || values.length === 0) return refuseNew();
    return construct(RealDate, values, new.target);
  };
  SafeDate.prototype = RealDate.prototype;
  SafeDate.now = refuseNow;
  SafeDate.parse = RealDate.parse;
  SafeDate.UTC = RealDate.UTC;
  defineProperty(RealDate.prototype, "constructor", { value: SafeDate, writable: false, configurable: false });
  defineProperty(globalThis, "Date", { value: SafeDate, writable: false, configurable: false, enumerable: false });
  defineProperty(Math, "random", { value: refuse("Math.random()"), writable: false, configurable: false });
  // Intl formats "now" when given no date: a second clock, closed the same way.
  const proto = Intl.DateTimeFormat.prototype;
  const formatGetter = Object.getOwnPropertyDescriptor(proto, "format").get;
  const formatToParts = proto.formatToParts;
  const refuseIntl = refuse("Intl.DateTimeFormat's format() without a date");
  defineProperty(proto, "format", {
    get() {
      const format = formatGetter.call(this);
      return (date) => (date === undefined ? refuseIntl() : format(date));
    },
    configurable: false,
  });
  defineProperty(proto, "formatToParts", { value: function (date) { return date === undefined ? refuseIntl() : formatToParts.call(this, date); }, writable: false, configurable: false });
}

if (settings.dialect === "claude") {
  deterministicClock();
  const globals = { agent: claudeAgent, parallel, pipeline: claudePipeline, phase, log, args: input, budget };
  for (const name of Object.keys(globals)) {
    defineProperty(globalThis, name, { value: globals[name], writable: false, enumerable: false, configurable: false });
  }
}
`;
