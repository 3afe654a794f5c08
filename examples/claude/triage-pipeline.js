// triage-pipeline.js (Claude Code format): the same triage as examples/triage-pipeline.js,
// written as a Claude Code workflow script. Each area goes through three pipeline() stages with no
// barrier between them: find (a `bug-hunter`), classify (a `triager`), fix (a `fix-proposer` per
// serious finding, in parallel()). A failed sub-agent is null here, as Claude Code defines it: a
// fix that failed is reported as not proposed, and an area whose search failed as not searched.
//
//   agentwf exec examples/claude/triage-pipeline.js --input '{"areas":["src/parser","src/server"]}'
//
// args (all optional): areas, maxFindingsPerArea, fixFrom — as in examples/triage-pipeline.js.

export const meta = {
  name: "triage-pipeline",
  description: "Find likely bugs area by area, triage them by severity, and propose fixes for the serious ones",
  whenToUse: "for a bug hunt across several areas of a repository",
  phases: [{ title: "Discover" }, { title: "Find" }, { title: "Classify" }, { title: "Fix" }, { title: "Report" }],
};

const DEFAULTS = { areas: [], maxFindingsPerArea: 5, fixFrom: "high" };

const SEVERITIES = ["critical", "high", "medium", "low"];

const AREAS_SCHEMA = {
  type: "object",
  properties: {
    areas: { type: "array", items: { type: "string" }, description: "directories, relative to the workspace root" },
  },
  required: ["areas"],
  additionalProperties: false,
};

const FIND_SCHEMA = {
  type: "object",
  properties: {
    findings: {
      type: "array",
      items: {
        type: "object",
        properties: {
          title: { type: "string", description: "the bug in a short sentence" },
          file: { type: "string" },
          line: { type: "integer", minimum: 0 },
          description: { type: "string", description: "what goes wrong and why, citing the code" },
          trigger: { type: "string", description: "the input or situation that makes it happen" },
        },
        required: ["title", "file", "line", "description", "trigger"],
        additionalProperties: false,
      },
    },
  },
  required: ["findings"],
  additionalProperties: false,
};

const CLASSIFY_SCHEMA = {
  type: "object",
  properties: {
    verdicts: {
      type: "array",
      items: {
        type: "object",
        properties: {
          id: { type: "string", description: "the finding's id, exactly as given" },
          severity: { type: "string", enum: [...SEVERITIES, "not-a-bug"] },
          confidence: { type: "string", enum: ["high", "medium", "low"] },
          rationale: { type: "string", description: "why this severity, from the code; for not-a-bug, why the finding is wrong" },
        },
        required: ["id", "severity", "confidence", "rationale"],
        additionalProperties: false,
      },
    },
  },
  required: ["verdicts"],
  additionalProperties: false,
};

const settings = readInput(args, DEFAULTS, '{"areas":["src"]}');
const fixFloor = SEVERITIES.indexOf(settings.fixFrom);
if (fixFloor < 0) throw new Error(`input "fixFrom" must be one of ${SEVERITIES.join(", ")}, got "${settings.fixFrom}"`);
const areas = settings.areas.length > 0 ? normalizeAreas(settings.areas) : await discoverAreas();
if (areas.length === 0) throw new Error('no areas to search; name them with --input \'{"areas":["src"]}\'');
log(`triaging ${areas.length} area(s): ${areas.join(", ")}`);

// One list of triaged findings per area, or null where the area failed.
const perArea = await pipeline(
  areas,
  // 1. find
  (area) =>
    agent(findPrompt(area, settings.maxFindingsPerArea), {
      agentType: "bug-hunter",
      schema: FIND_SCHEMA,
      phase: "Find",
      label: `find: ${area}`,
    }),
  // 2. classify
  async (found, area) => {
    if (found === null) throw new Error(`the search of ${area} failed`);
    const list = Array.isArray(found.findings) ? found.findings.slice(0, settings.maxFindingsPerArea) : [];
    const findings = list.map((f, i) => ({ id: `${area}#${i + 1}`, area, ...f }));
    if (findings.length === 0) return [];
    const classified = await agent(classifyPrompt(findings), {
      agentType: "triager",
      schema: CLASSIFY_SCHEMA,
      phase: "Classify",
      label: `classify: ${area}`,
    });
    if (classified === null) throw new Error(`the triage of ${area} failed`);
    const verdicts = new Map((Array.isArray(classified.verdicts) ? classified.verdicts : []).map((v) => [v.id, v]));
    return findings.map((f) => {
      const verdict = verdicts.get(f.id);
      return verdict
        ? { ...f, severity: verdict.severity, confidence: verdict.confidence, rationale: verdict.rationale }
        : { ...f, severity: "unclassified", confidence: "low", rationale: "the triager gave no verdict for this finding" };
    });
  },
  // 3. fix
  async (findings, area) => {
    const serious = findings.filter((f) => severityRank(f.severity) <= fixFloor);
    if (serious.length === 0) return findings;
    const fixes = await parallel(serious.map((f) => () => agent(fixPrompt(f), { agentType: "fix-proposer", phase: "Fix", label: `fix: ${f.id}` })));
    const byId = new Map(serious.map((f, i) => [f.id, fixes[i]]));
    log(`${area}: ${findings.length} finding(s), ${serious.length} fix proposal(s)`);
    return findings.map((f) => {
      const fix = byId.get(f.id);
      if (fix === undefined) return f;
      return fix !== null ? { ...f, fix: String(fix).trim() } : { ...f, fixError: "the fix proposer failed (see the run log)" };
    });
  },
);

const failedAreas = areas.filter((_, i) => perArea[i] === null);
const all = perArea.filter((x) => x !== null).flat();
const confirmed = all
  .filter((f) => f.severity !== "not-a-bug")
  .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || confidenceRank(a.confidence) - confidenceRank(b.confidence));
const dismissed = all.filter((f) => f.severity === "not-a-bug");
if (all.length === 0 && failedAreas.length === areas.length) {
  throw new Error(`every area failed in the pipeline (see the run log): ${failedAreas.join(", ")}`);
}

phase("Report");
const report = await agent(
  [
    "These are triaged bug findings from one repository: each was found by one agent, classified by",
    "another after checking the code, and the serious ones have a proposed fix (`fix`, markdown with a diff).",
    "Write the triage report for the maintainers:",
    "1. A summary: how many real bugs at which severity, what to fix this week, and any area that",
    "   failed to be searched (`failedAreas`).",
    '2. "## Fix order": the findings in the order to fix them (id, title, severity, confidence), with one',
    "   line each on why it comes at that place; group findings that one change fixes together.",
    '3. "## Dismissed": one line per dismissed finding and why.',
    "Do not reproduce the diffs: the proposed fixes are appended to your report.",
    "",
    "<inputs>",
    JSON.stringify({ findings: confirmed, dismissed: dismissed.map((f) => ({ id: f.id, title: f.title, why: f.rationale })), failedAreas, fixFrom: settings.fixFrom }, null, 2),
    "</inputs>",
  ].join("\n"),
  { agentType: "report-writer", label: "triage report" },
);
if (report === null) throw new Error("the report writer failed; see the log");

const lines = ["# Bug triage", "", String(report).trim(), "", `## Findings (${confirmed.length})`, "", findingsTable(confirmed), ""];
const withFix = confirmed.filter((f) => f.fix !== undefined || f.fixError !== undefined);
if (withFix.length > 0) {
  lines.push("## Proposed fixes", "");
  for (const f of withFix) {
    lines.push(`### ${f.id}: ${f.title}`, "", `\`${f.file}:${f.line}\`, ${f.severity}, confidence ${f.confidence}.`, "");
    lines.push(f.fix !== undefined ? f.fix : `_No fix proposed: ${f.fixError}_`, "");
  }
}
if (failedAreas.length > 0) lines.push("## Not searched", "", ...failedAreas.map((a) => `- \`${a}\` (the pipeline failed; see the run log)`), "");
return lines.join("\n");


function findPrompt(area, max) {
  return [
    `Find likely bugs in the area \`${area}\` of this repository: at most ${max}, the most serious first.`,
    "For each: a short title, the file and line, what goes wrong and why (citing the code), and the input",
    "or situation that triggers it. Only report bugs you can support from the code you read; fewer is fine.",
  ].join("\n");
}

function classifyPrompt(findings) {
  return [
    "Triage these findings. Check each against the code it cites, then give its severity (or not-a-bug),",
    "your confidence, and the rationale. Keep each id exactly as given; give one verdict per finding.",
    "",
    "<findings>",
    JSON.stringify(findings.map(({ id, title, file, line, description, trigger }) => ({ id, title, file, line, description, trigger })), null, 2),
    "</findings>",
  ].join("\n");
}

function fixPrompt(f) {
  return [
    `Propose a fix for this confirmed ${f.severity}-severity finding (${f.id}).`,
    "",
    `Title: ${f.title}`,
    `Where: ${f.file}:${f.line}`,
    `What goes wrong: ${f.description}`,
    `Trigger: ${f.trigger}`,
    `Triage: ${f.rationale}`,
    "",
    "Answer in markdown: one sentence on the root cause, the fix as a unified diff in a ```diff block,",
    "the test that fails before and passes after, and what the fix could break (or \"nothing known\").",
  ].join("\n");
}

async function discoverAreas() {
  phase("Discover");
  const found = await agent(
    [
      "List the areas of this repository most worth a bug hunt: directories with the most logic",
      "(parsers, state machines, concurrency, money, persistence, error handling). Skip tests, docs,",
      "examples, vendored and generated code. At most 8 areas, as paths relative to the workspace root.",
    ].join("\n"),
    { schema: AREAS_SCHEMA, label: "find areas to search" },
  );
  if (found === null) throw new Error("finding the areas failed; see the log");
  return normalizeAreas(found.areas).slice(0, 8);
}

function severityRank(severity) {
  const i = SEVERITIES.indexOf(severity);
  return i < 0 ? SEVERITIES.length : i;
}

function confidenceRank(confidence) {
  const i = ["high", "medium", "low"].indexOf(confidence);
  return i < 0 ? 3 : i;
}

function findingsTable(findings) {
  if (findings.length === 0) return "No confirmed findings.";
  return [
    "| id | severity | confidence | where | title | fix |",
    "| --- | --- | --- | --- | --- | --- |",
    ...findings.map(
      (f) =>
        `| ${f.id} | ${f.severity} | ${f.confidence} | \`${f.file}:${f.line}\` | ${cell(f.title)} | ${f.fix !== undefined ? "proposed" : f.fixError !== undefined ? "failed" : ""} |`,
    ),
  ].join("\n");
}

function normalizeAreas(list) {
  const seen = new Set();
  for (const entry of list) seen.add(String(entry).trim().replace(/^\.\//, "").replace(/\/+$/, "") || ".");
  return [...seen];
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
