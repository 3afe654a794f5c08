// implementation-strategies.js (Claude Code format): the same planning as
// examples/implementation-strategies.js, written as a Claude Code workflow script. Each strategy
// goes through a pipeline (draft, then critique) with no barrier between the stages: a plan is
// critiqued as soon as it is drafted, while the others are still being written.
//
//   agentwf exec examples/claude/implementation-strategies.js \
//     --input '{"task":"add a --retry flag to the upload command"}'
//
// args: task (required), strategies, constraints — as in examples/implementation-strategies.js.

export const meta = {
  name: "implementation-strategies",
  description: "Draft three ways to implement a change, critique each, and recommend one",
  whenToUse: "before a change with more than one reasonable design",
  phases: [{ title: "Draft" }, { title: "Critique" }, { title: "Recommend" }],
};

const DEFAULTS = {
  task: "",
  strategies: [
    "the smallest change that works: a minimal diff that reuses what exists and touches as few files as possible",
    "the cleanest design: put the change where it belongs, refactoring what stands in the way when it pays off",
    "the most robust: design for failure modes, edge cases, performance and testability first",
  ],
  constraints: "",
};

const PLAN_SCHEMA = {
  type: "object",
  properties: {
    title: { type: "string", description: "the plan in a few words" },
    approach: { type: "string", description: "the idea of the plan in two to four sentences" },
    steps: { type: "array", items: { type: "string" }, description: "ordered steps, each naming the files it changes" },
    files: { type: "array", items: { type: "string" }, description: "files to change or add" },
    testing: { type: "string", description: "how the change is tested" },
    risks: { type: "array", items: { type: "string" } },
    effort: { type: "string", enum: ["S", "M", "L"], description: "S: under a day, M: a few days, L: a week or more" },
  },
  required: ["title", "approach", "steps", "files", "testing", "risks", "effort"],
  additionalProperties: false,
};

const CRITIQUE_SCHEMA = {
  type: "object",
  properties: {
    score: { type: "integer", minimum: 1, maximum: 10, description: "1: do not do this, 10: do it as written" },
    verdict: { type: "string", enum: ["sound", "workable", "flawed"] },
    strengths: { type: "array", items: { type: "string" } },
    blockers: { type: "array", items: { type: "string" }, description: "problems that must be solved before the plan can work" },
    concerns: { type: "array", items: { type: "string" }, description: "lesser problems and missed risks" },
  },
  required: ["score", "verdict", "strengths", "blockers", "concerns"],
  additionalProperties: false,
};

const settings = readInput(args, DEFAULTS, '{"task":"add a --retry flag to the upload command"}');
const task = settings.task.trim();
if (task === "") {
  throw new Error('say what to implement: --input \'{"task":"add a --retry flag to the upload command"}\'');
}
const strategies = settings.strategies.length > 0 ? settings.strategies : DEFAULTS.strategies;
const constraints = settings.constraints.trim();

// Draft, then critique, per strategy: each critic sees only its own plan.
const drafted = await pipeline(
  strategies,
  (strategy, _, i) =>
    agent(draftPrompt(task, strategy, constraints), {
      agentType: "implementation-planner",
      schema: PLAN_SCHEMA,
      phase: "Draft",
      label: `plan ${i + 1}: ${strategy.split(/[:,.]/)[0]}`,
    }),
  async (plan, strategy, i) => {
    if (plan === null) throw new Error("the planner failed");
    const critique = await agent(critiquePrompt(task, strategy, plan, constraints), {
      agentType: "critic",
      schema: CRITIQUE_SCHEMA,
      phase: "Critique",
      label: `critique ${i + 1}: ${plan.title}`,
    });
    if (critique === null) throw new Error("the critic failed");
    return { plan, critique };
  },
);
const failed = strategies.filter((_, i) => drafted[i] === null).length;
if (failed > 0) throw new Error(`${failed} of ${strategies.length} strategies failed to draft or critique; see the log`);

const candidates = drafted.map(({ plan, critique }, i) => ({
  option: i + 1,
  strategy: strategies[i],
  plan: { ...plan, steps: asList(plan.steps), files: asList(plan.files), risks: asList(plan.risks) },
  critique: { ...critique, strengths: asList(critique.strengths), blockers: asList(critique.blockers), concerns: asList(critique.concerns) },
}));
log(`scores: ${candidates.map((c) => `option ${c.option} ${c.critique.score}/10`).join(", ")}`);

phase("Recommend");
const recommendation = await agent(
  [
    "Candidate implementation plans for one task follow, each with an independent critique.",
    "Recommend one of them (by option number and title), or a combination when two plans are",
    "complementary, and justify it against the others in a few sentences: effort, risk, fit with",
    "the code. Then list the blockers the critics found that the chosen plan must still solve, and",
    "the first three steps to take. Take blockers seriously: a high score does not cancel one.",
    'Start with a line "**Recommendation:** option N, TITLE". Do not repeat the plans: they follow your text.',
    "",
    "<inputs>",
    JSON.stringify({ task, constraints: constraints || "none", candidates }, null, 2),
    "</inputs>",
  ].join("\n"),
  { agentType: "report-writer", label: "recommend a plan" },
);
if (recommendation === null) throw new Error("the report writer failed; see the log");

return [
  `# Implementation strategies: ${task}`,
  "",
  String(recommendation).trim(),
  "",
  "## Scores",
  "",
  "| option | plan | effort | score | verdict | blockers |",
  "| ---: | --- | :---: | ---: | --- | ---: |",
  ...candidates.map((c) => `| ${c.option} | ${cell(c.plan.title)} | ${c.plan.effort} | ${c.critique.score}/10 | ${c.critique.verdict} | ${c.critique.blockers.length} |`),
  "",
  ...candidates.map(renderCandidate),
].join("\n");

function draftPrompt(task, strategy, constraints) {
  return [
    `Task: ${task}`,
    "",
    `Draft an implementation plan that follows this strategy: ${strategy}.`,
    constraints ? `Every plan must respect: ${constraints}.` : "",
    "Ground the plan in the repository: read the code the task touches first, and name real files.",
    "Give ordered steps, the files to change or add, how it is tested, the risks, and the effort.",
  ].join("\n");
}

function critiquePrompt(task, strategy, plan, constraints) {
  return [
    `Task: ${task}`,
    constraints ? `Constraints: ${constraints}` : "",
    `The plan below was drafted with this strategy: ${strategy}.`,
    "",
    "Critique it against the code: check that the files and functions it relies on exist and work as",
    "it assumes, and find the steps that will not work, the call sites and tests it misses, and the",
    "risks it underrates. Separate blockers from lesser concerns, name its strengths, and score it.",
    "",
    "<plan>",
    JSON.stringify(plan, null, 2),
    "</plan>",
  ].join("\n");
}

function renderCandidate(c) {
  const section = (title, items) =>
    items.length > 0 ? [`**${title}**`, "", ...items.map((x) => `- ${x}`), ""] : [`**${title}:** none`, ""];
  return [
    `## Option ${c.option}: ${c.plan.title}`,
    "",
    `*Strategy:* ${c.strategy}. *Effort:* ${c.plan.effort}. *Critic:* ${c.critique.score}/10, ${c.critique.verdict}.`,
    "",
    c.plan.approach,
    "",
    "**Steps**",
    "",
    ...c.plan.steps.map((s, i) => `${i + 1}. ${s}`),
    "",
    `**Files:** ${c.plan.files.map((f) => `\`${f}\``).join(", ") || "none named"}`,
    "",
    `**Testing:** ${c.plan.testing}`,
    "",
    ...section("Risks (planner)", c.plan.risks),
    ...section("Blockers (critic)", c.critique.blockers),
    ...section("Concerns (critic)", c.critique.concerns),
    ...section("Strengths (critic)", c.critique.strengths),
  ].join("\n");
}

// Models sometimes leave out an empty list despite the schema; render it as empty.
function asList(value) {
  return Array.isArray(value) ? value.map(String) : [];
}

function cell(text) {
  return String(text).replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}

// Reads args against the defaults: unknown keys and wrong types stop the run with a clear
// message instead of being silently ignored.
function readInput(raw, defaults, example) {
  if (raw === undefined || raw === null) return { ...defaults };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new Error(`--input must be a JSON object, e.g. --input '${example}'`);
  const settings = { ...defaults };
  for (const key of Object.keys(raw)) {
    if (!(key in defaults)) throw new Error(`unknown input key "${key}"; this workflow takes: ${Object.keys(defaults).join(", ")}`);
    const value = raw[key];
    const wanted = defaults[key];
    const ok = Array.isArray(wanted)
      ? Array.isArray(value) && value.every((v) => typeof v === typeof (wanted[0] ?? ""))
      : typeof value === typeof wanted && (typeof value !== "number" || (Number.isInteger(value) && value > 0));
    if (!ok) throw new Error(`input "${key}" must be ${describeType(wanted)}, got ${JSON.stringify(value)}`);
    settings[key] = value;
  }
  return settings;
}

function describeType(value) {
  if (Array.isArray(value)) return `an array of ${typeof (value[0] ?? "")}s`;
  return typeof value === "number" ? "a positive integer" : `a ${typeof value}`;
}
