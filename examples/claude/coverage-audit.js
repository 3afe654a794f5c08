// coverage-audit.js (Claude Code format): the same audit as examples/coverage-audit.js, written as
// a Claude Code workflow script, so it runs unchanged with Claude Code (save it in
// .claude/workflows/) and with agentwf on any OpenAI-compatible model.
//
// One `coverage-auditor` sub-agent per area counts the area's source files and lists the untested
// code most worth a test, as structured data; a `report-writer` merges the areas into one report.
//
//   agentwf exec examples/claude/coverage-audit.js --input '{"areas":["src"]}'
//   cp examples/claude/coverage-audit.js .agentwf/workflows/ && agentwf run --workflow coverage-audit --args '{"areas":["src"]}'
//
// args (all optional): areas, maxAreas, maxGaps, focus — as in examples/coverage-audit.js.

export const meta = {
  name: "coverage-audit",
  description: "Audit test coverage area by area and write one prioritized report",
  whenToUse: "when you want to know which untested code most deserves a test",
  phases: [{ title: "Discover" }, { title: "Audit" }, { title: "Report" }],
};

const DEFAULTS = { areas: [], maxAreas: 12, maxGaps: 8, focus: "" };

const AREAS_SCHEMA = {
  type: "object",
  properties: {
    areas: { type: "array", items: { type: "string" }, description: "directories, relative to the workspace root" },
  },
  required: ["areas"],
  additionalProperties: false,
};

const AREA_SCHEMA = {
  type: "object",
  properties: {
    area: { type: "string" },
    sourceFiles: { type: "integer", minimum: 0, description: "source files in the area, tests and generated code excluded" },
    testedFiles: { type: "integer", minimum: 0, description: "source files that some test imports or exercises" },
    gaps: {
      type: "array",
      description: "untested files most worth a test, most important first",
      items: {
        type: "object",
        properties: {
          file: { type: "string" },
          priority: { type: "string", enum: ["high", "medium", "low"] },
          why: { type: "string", description: "the logic that goes untested and what a bug there would cost" },
          suggestedTest: { type: "string", description: "the first test you would write" },
        },
        required: ["file", "priority", "why", "suggestedTest"],
        additionalProperties: false,
      },
    },
    notes: { type: "string", description: "anything the numbers do not say (flaky or skipped tests, untestable code)" },
  },
  required: ["area", "sourceFiles", "testedFiles", "gaps", "notes"],
  additionalProperties: false,
};

const PRIORITY_RANK = { high: 0, medium: 1, low: 2 };

const settings = readInput(args, DEFAULTS, '{"areas":["src"]}');
const areas = settings.areas.length > 0 ? normalizeAreas(settings.areas) : await discoverAreas(settings.maxAreas);
if (areas.length === 0) throw new Error('no areas to audit; name them with --input \'{"areas":["src"]}\'');
log(`auditing ${areas.length} area(s): ${areas.join(", ")}`);

phase("Audit");
const audited = await parallel(
  areas.map((area) => () => agent(auditPrompt(area, settings), { agentType: "coverage-auditor", schema: AREA_SCHEMA, label: `coverage: ${area}` })),
);
const failed = areas.filter((_, i) => audited[i] === null);
if (failed.length > 0) throw new Error(`the audit of ${failed.join(", ")} failed; see the log`);
// The item, not the model's echo of it, names the area.
const results = audited.map((result, i) => ({ ...result, area: areas[i], gaps: sortGaps(result.gaps) }));

phase("Report");
const report = await agent(
  [
    "These are test-coverage audits of the areas of one repository, one JSON object per area.",
    "Write the coverage report for the team that owns it:",
    "1. A summary of three to five sentences: overall state, the riskiest untested code, what to do first.",
    '2. "## Test first": the ten most valuable tests to write across all areas, as a numbered list',
    "   (file, why it matters, the test), high priority first; break ties by how central the code is.",
    '3. "## Per area": one short paragraph per area with its notes.',
    settings.focus ? `The team cares most about: ${settings.focus}.` : "",
    "Do not repeat the per-area numbers table: it is appended to your report.",
    "",
    "<inputs>",
    JSON.stringify(results, null, 2),
    "</inputs>",
  ].join("\n"),
  { agentType: "report-writer", label: "coverage report" },
);
if (report === null) throw new Error("the report writer failed; see the log");

return [`# Test coverage audit`, "", String(report).trim(), "", "## Numbers by area", "", numbersTable(results), ""].join("\n");

function auditPrompt(area, settings) {
  return [
    `Audit the test coverage of the area \`${area}\` (a directory of this repository).`,
    "Count its source files (not tests, not generated or vendored code) and how many of them some test",
    "imports or exercises. Then list the untested files most worth a test, most important first,",
    `at most ${settings.maxGaps}: for each, its priority, the logic that goes untested, and the first test to write.`,
    settings.focus ? `Pay special attention to: ${settings.focus}.` : "",
    "If the directory does not exist or holds no source code, answer with zero counts and say so in notes.",
  ].join("\n");
}

async function discoverAreas(maxAreas) {
  phase("Discover");
  const found = await agent(
    [
      "List the areas of this repository that hold source code worth a test-coverage audit: the",
      "top-level source directories, or their main subdirectories when one directory holds most of",
      "the code (for example src/api, src/db). Skip tests, docs, examples, build output, vendored and",
      `generated code. At most ${maxAreas} areas, as paths relative to the workspace root.`,
    ].join("\n"),
    { schema: AREAS_SCHEMA, label: "find source areas" },
  );
  if (found === null) throw new Error("finding the source areas failed; see the log");
  return normalizeAreas(found.areas).slice(0, maxAreas);
}

function sortGaps(gaps) {
  const list = Array.isArray(gaps) ? gaps.slice() : [];
  return list.sort((a, b) => (PRIORITY_RANK[a.priority] ?? 3) - (PRIORITY_RANK[b.priority] ?? 3));
}

function numbersTable(results) {
  const rows = results.map((r) => {
    const percent = r.sourceFiles > 0 ? `${Math.round((100 * r.testedFiles) / r.sourceFiles)}%` : "n/a";
    const high = r.gaps.filter((g) => g.priority === "high").map((g) => `\`${g.file}\``);
    return `| \`${r.area}\` | ${r.sourceFiles} | ${r.testedFiles} | ${percent} | ${cell(high.join(", ") || "none")} |`;
  });
  const sources = results.reduce((n, r) => n + r.sourceFiles, 0);
  const tested = results.reduce((n, r) => n + r.testedFiles, 0);
  const total = sources > 0 ? `${Math.round((100 * tested) / sources)}%` : "n/a";
  return [
    "| area | source files | tested | covered | untested, high priority |",
    "| --- | ---: | ---: | ---: | --- |",
    ...rows,
    `| **all** | ${sources} | ${tested} | ${total} | |`,
  ].join("\n");
}

function normalizeAreas(list) {
  const seen = new Set();
  for (const entry of list) {
    const area = String(entry).trim().replace(/^\.\//, "").replace(/\/+$/, "") || ".";
    seen.add(area);
  }
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
