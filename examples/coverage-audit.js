// coverage-audit.js: audits test coverage area by area and writes one prioritized report.
//
// One `coverage-auditor` sub-agent per area (a directory) counts the area's source files, decides
// which ones some test really exercises, and lists the untested code most worth a test, as
// structured data. A `report-writer` merges the areas into one report; the per-area numbers table
// under it is computed here from the structured results, so no model can misquote them.
//
// Run it from your repository, with the agent types installed (see examples/README.md):
//
//   agentwf exec examples/coverage-audit.js --input '{"areas":["src"]}'
//   agentwf exec examples/coverage-audit.js -m openai/gpt-4o-mini -o coverage.md
//
// Input (all optional):
//   areas       directories to audit; default: a sub-agent picks the repository's source areas
//   maxAreas    at most this many discovered areas (default 12)
//   maxGaps     untested files to report per area (default 8)
//   focus       what matters most to you, e.g. "error handling in the payment code"

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

async function main(wf) {
  const settings = readInput(wf.input, DEFAULTS, '{"areas":["src"]}');
  const areas = settings.areas.length > 0 ? normalizeAreas(settings.areas) : await discoverAreas(wf, settings.maxAreas);
  if (areas.length === 0) throw new Error('no areas to audit; name them with --input \'{"areas":["src"]}\'');
  wf.log(`auditing ${areas.length} area(s): ${areas.join(", ")}`);

  const audited = await wf.mapAgents(areas, (area) => auditPrompt(area, settings), {
    agent: "coverage-auditor",
    schema: AREA_SCHEMA,
    description: (area) => `coverage: ${area}`,
  });
  // The item, not the model's echo of it, names the area.
  const results = audited.map((result, i) => ({ ...result, area: areas[i], gaps: sortGaps(result.gaps) }));

  const report = await wf.reduceAgent(
    results,
    [
      "These are test-coverage audits of the areas of one repository, one JSON object per area.",
      "Write the coverage report for the team that owns it:",
      "1. A summary of three to five sentences: overall state, the riskiest untested code, what to do first.",
      '2. "## Test first": the ten most valuable tests to write across all areas, as a numbered list',
      "   (file, why it matters, the test), high priority first; break ties by how central the code is.",
      '3. "## Per area": one short paragraph per area with its notes.',
      settings.focus ? `The team cares most about: ${settings.focus}.` : "",
      "Do not repeat the per-area numbers table: it is appended to your report.",
    ].join("\n"),
    { agent: "report-writer", description: "coverage report" },
  );

  return [`# Test coverage audit`, "", String(report).trim(), "", "## Numbers by area", "", numbersTable(results), ""].join("\n");
}

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

async function discoverAreas(wf, maxAreas) {
  const found = await wf.runAgent(
    [
      "List the areas of this repository that hold source code worth a test-coverage audit: the",
      "top-level source directories, or their main subdirectories when one directory holds most of",
      "the code (for example src/api, src/db). Skip tests, docs, examples, build output, vendored and",
      `generated code. At most ${maxAreas} areas, as paths relative to the workspace root.`,
    ].join("\n"),
    { schema: AREAS_SCHEMA, description: "find source areas" },
  );
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

// Reads wf.input against the defaults: unknown keys and wrong types stop the run with a clear
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
