// measured-coverage.js: measures test coverage with the project's own coverage tool, package by package.
//
// One `coverage-measurer` sub-agent per package (a folder with its own package.json, pyproject.toml
// or go.mod) finds the package's coverage command, runs it with `bash` in the read-only sandbox
// (the tool may write its reports and caches; nothing reaches your files, and there is no network),
// and returns the tool's own per-file figures as structured data, or says why it could not measure
// and what it estimated from the tests instead. The tables below the report are computed here from
// those results, so no model can misquote a number; a `report-writer` adds what to test first.
//
// bash needs bubblewrap (`agentwf agents` and the run's first lines say when it is missing). Run it
// from your repository, with the agent types installed (see examples/README.md):
//
//   agentwf exec examples/measured-coverage.js --input '{"packages":["."]}'
//   agentwf exec examples/measured-coverage.js -m openai/gpt-4o-mini -o coverage.md
//
// Input (all optional):
//   packages     package folders to measure; default: a sub-agent finds the repository's packages
//   maxPackages  at most this many discovered packages (default 12)
//   lowBelow     line coverage, in percent, under which a file is listed as poorly covered (default 60)

const DEFAULTS = { packages: [], maxPackages: 12, lowBelow: 60 };

const PACKAGES_SCHEMA = {
  type: "object",
  properties: {
    packages: { type: "array", items: { type: "string" }, description: "package folders, relative to the workspace root (\".\" for the root)" },
  },
  required: ["packages"],
  additionalProperties: false,
};

const PERCENT = { type: ["number", "null"], minimum: 0, maximum: 100 };

const MEASURE_SCHEMA = {
  type: "object",
  properties: {
    package: { type: "string" },
    method: { type: "string", enum: ["measured", "estimated"] },
    command: { type: "string", description: "the exact command run through bash (empty if none was run)" },
    reason: { type: "string", description: "when estimated: why the tool could not be used, with the last line of its error" },
    files: {
      type: "array",
      description: "each file as the tool reported it, paths relative to the workspace root",
      items: {
        type: "object",
        properties: {
          file: { type: "string" },
          lines: { ...PERCENT, description: "line coverage exactly as the tool printed it; null when estimated" },
          branches: { ...PERCENT, description: "branch coverage as printed, or null" },
        },
        required: ["file", "lines", "branches"],
        additionalProperties: false,
      },
    },
    totalLines: { ...PERCENT, description: "the tool's own total line coverage (its all files / TOTAL row), or null" },
    notes: { type: "string", description: "failing or skipped tests, files the tool did not list, anything the numbers do not say" },
  },
  required: ["package", "method", "command", "reason", "files", "totalLines", "notes"],
  additionalProperties: false,
};

async function main(wf) {
  const settings = readInput(wf.input, DEFAULTS, '{"packages":["."]}');
  const packages = settings.packages.length > 0 ? normalizeFolders(settings.packages) : await discoverPackages(wf, settings.maxPackages);
  if (packages.length === 0) throw new Error('no packages to measure; name them with --input \'{"packages":["."]}\'');
  wf.log(`measuring ${packages.length} package(s): ${packages.join(", ")}`);

  // settle: one package whose tool crashes must not lose the others' measurements.
  const settled = await wf.mapAgents(packages, (pkg) => measurePrompt(pkg), {
    agent: "coverage-measurer",
    schema: MEASURE_SCHEMA,
    description: (pkg) => `measure ${pkg}`,
    settle: true,
  });
  // The item, not the model's echo of it, names the package.
  const results = settled.map((outcome, i) =>
    outcome.ok
      ? { ...outcome.value, package: packages[i] }
      : { package: packages[i], method: "failed", command: "", reason: String(outcome.error), files: [], totalLines: null, notes: "" },
  );
  const low = results.flatMap((r) =>
    r.method === "measured" ? r.files.filter((f) => typeof f.lines === "number" && f.lines < settings.lowBelow).map((f) => ({ ...f, package: r.package })) : [],
  );
  low.sort((a, b) => a.lines - b.lines);

  const advice = await wf.reduceAgent(
    { lowBelow: settings.lowBelow, packages: results, poorlyCovered: low },
    [
      "These are test-coverage measurements of the packages of one repository, made by each package's own",
      "coverage tool where it could run (method \"measured\"), else estimated from reading the tests.",
      "Write, for the team that owns it:",
      "1. Three to five sentences: how well tested the code is, by the tools' numbers, and what to test first.",
      '2. "## Test first": the five most valuable tests to write, as a numbered list (file, the uncovered',
      "   logic, the test), taken from the poorly covered files.",
      "3. For every package that was not measured, one sentence on what would let the tool run.",
      "Do not restate the tables: they are appended to your report. Quote no number that is not in the input.",
    ].join("\n"),
    { agent: "report-writer", description: "coverage advice" },
  );

  return [
    "# Measured test coverage",
    "",
    String(advice).trim(),
    "",
    "## By package",
    "",
    packageTable(results),
    "",
    `## Files under ${settings.lowBelow}% line coverage`,
    "",
    lowTable(low),
    "",
  ].join("\n");
}

function measurePrompt(pkg) {
  return [
    `Measure the test coverage of the package in \`${pkg}\` with its own coverage tool, run through bash.`,
    "Report each file's line (and branch) coverage exactly as the tool printed it, paths relative to the",
    "workspace root, and the tool's total. If the tool cannot run, estimate from the tests and say why.",
  ].join("\n");
}

async function discoverPackages(wf, maxPackages) {
  const found = await wf.runAgent(
    [
      "List the packages of this repository whose test coverage can be measured: folders with their own",
      "package.json (with tests), pyproject.toml or go.mod, the root included when it holds code and tests.",
      "Skip node_modules, vendored code, examples and fixtures. At most " + maxPackages + " folders, relative to",
      'the workspace root ("." for the root).',
    ].join("\n"),
    { schema: PACKAGES_SCHEMA, description: "find packages" },
  );
  return normalizeFolders(found.packages).slice(0, maxPackages);
}

function figure(value) {
  return typeof value === "number" ? value.toFixed(2) : "—";
}

function packageTable(results) {
  const rows = results.map((r) => {
    const how = r.method === "measured" ? `measured by \`${cell(r.command)}\`` : `${r.method}: ${cell(r.reason || "no reason given")}`;
    return `| \`${cell(r.package)}\` | ${how} | ${r.files.length} | ${figure(r.totalLines)} |`;
  });
  return ["| package | how | files | total lines % |", "| --- | --- | ---: | ---: |", ...rows].join("\n");
}

function lowTable(low) {
  if (low.length === 0) return "None: every measured file is at or above the threshold.";
  const rows = low.map((f) => `| \`${cell(f.file)}\` | \`${cell(f.package)}\` | ${figure(f.lines)} | ${figure(f.branches)} |`);
  return ["| file | package | lines % | branches % |", "| --- | --- | ---: | ---: |", ...rows].join("\n");
}

function normalizeFolders(list) {
  const seen = new Set();
  for (const entry of list) {
    const folder = String(entry).trim().replace(/^\.\//, "").replace(/\/+$/, "") || ".";
    seen.add(folder);
  }
  return [...seen];
}

function cell(text) {
  return String(text).replace(/\r?\n/g, " ").replace(/\|/g, "\\|").replace(/`/g, "'");
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
      ? Array.isArray(value) && value.every((v) => typeof v === "string")
      : typeof value === typeof wanted && (typeof value !== "number" || (value > 0 && value <= 100));
    if (!ok) throw new Error(`input "${key}" must be ${Array.isArray(wanted) ? "an array of strings" : "a number from 1 to 100"}, got ${JSON.stringify(value)}`);
    settings[key] = value;
  }
  return settings;
}
