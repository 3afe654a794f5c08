// docs-review.js: reviews the documentation directory by directory, against the code it describes.
//
// One `docs-reviewer` sub-agent per directory checks every command, flag, option, path and default
// its docs mention against the code, and reports wrong, stale, broken and missing docs as
// structured issues. The issues of all directories are flattened and sorted here; a
// `report-writer` turns them into a review with the fixes to make first, and the complete issue
// list is appended as a table.
//
// Run it from your repository, with the agent types installed (see examples/README.md):
//
//   agentwf exec examples/docs-review.js --input '{"dirs":["docs","."]}'
//   agentwf exec examples/docs-review.js --input '{"audience":"new contributors"}' -o docs-review.md
//
// Input (all optional):
//   dirs          directories whose docs to review ("." is the root README and friends);
//                 default: a sub-agent finds the directories that hold documentation
//   audience      who reads the docs (default "users of the project")
//   maxIssues     issues to report per directory (default 15)
//   concurrency   reviewers running at once (default 4)

const DEFAULTS = { dirs: [], audience: "users of the project", maxIssues: 15, concurrency: 4 };

const DIRS_SCHEMA = {
  type: "object",
  properties: {
    dirs: { type: "array", items: { type: "string" }, description: "directories, relative to the workspace root" },
  },
  required: ["dirs"],
  additionalProperties: false,
};

const REVIEW_SCHEMA = {
  type: "object",
  properties: {
    directory: { type: "string" },
    filesReviewed: { type: "array", items: { type: "string" } },
    issues: {
      type: "array",
      items: {
        type: "object",
        properties: {
          file: { type: "string" },
          line: { type: "integer", minimum: 0, description: "0 when the issue is not tied to one line" },
          kind: { type: "string", enum: ["incorrect", "stale", "broken-link", "missing", "unclear"] },
          severity: { type: "string", enum: ["high", "medium", "low"], description: "high: a reader following the docs fails" },
          problem: { type: "string", description: "what the docs say, and what the code actually does" },
          suggestion: { type: "string", description: "the corrected or missing text" },
        },
        required: ["file", "line", "kind", "severity", "problem", "suggestion"],
        additionalProperties: false,
      },
    },
    summary: { type: "string", description: "two sentences on the state of this directory's docs" },
  },
  required: ["directory", "filesReviewed", "issues", "summary"],
  additionalProperties: false,
};

const SEVERITY_RANK = { high: 0, medium: 1, low: 2 };

async function main(wf) {
  const settings = readInput(wf.input, DEFAULTS, '{"dirs":["docs","."]}');
  const dirs = settings.dirs.length > 0 ? normalizeDirs(settings.dirs) : await discoverDocDirs(wf);
  if (dirs.length === 0) throw new Error('found no documentation to review; name directories with --input \'{"dirs":["docs"]}\'');
  wf.log(`reviewing the docs in ${dirs.length} director${dirs.length === 1 ? "y" : "ies"}: ${dirs.join(", ")}`);

  const reviews = await wf.mapAgents(dirs, (dir) => reviewPrompt(dir, settings), {
    agent: "docs-reviewer",
    schema: REVIEW_SCHEMA,
    description: (dir) => `docs: ${dir}`,
    maxConcurrency: settings.concurrency,
  });

  const issues = wf
    .flatten(reviews.map((review, i) => (review.issues || []).map((issue) => ({ directory: dirs[i], ...issue }))))
    .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || String(a.file).localeCompare(String(b.file)) || (a.line || 0) - (b.line || 0));
  const directories = reviews.map((review, i) => ({
    directory: dirs[i],
    filesReviewed: review.filesReviewed,
    issues: (review.issues || []).length,
    summary: review.summary,
  }));

  const report = await wf.reduceAgent(
    { audience: settings.audience, directories, issues },
    [
      `This is a review of a repository's documentation, written for ${settings.audience}.`,
      "`directories` summarizes each reviewed directory; `issues` lists every issue found, most severe first.",
      "Write the review:",
      "1. A summary: how trustworthy the docs are today and the three fixes to make first.",
      '2. "## Fix first": the high-severity issues, each with the file, what is wrong and the corrected text.',
      '3. "## Patterns": problems that recur across files (a renamed flag documented the old way everywhere,',
      "   a whole feature undocumented) and the one change that would fix each pattern.",
      '4. "## By directory": one line per directory.',
      "Do not repeat the complete issue list: it is appended to your review as a table.",
    ].join("\n"),
    { agent: "report-writer", description: "docs review" },
  );

  return [
    "# Documentation review",
    "",
    String(report).trim(),
    "",
    `## All issues (${issues.length})`,
    "",
    issuesTable(issues),
    "",
  ].join("\n");
}

function reviewPrompt(dir, settings) {
  return [
    `Review the documentation in \`${dir}\` for ${settings.audience}.`,
    dir === "."
      ? "Review only the documentation files at the repository root (README, CONTRIBUTING, CHANGELOG and the like), not subdirectories."
      : "Review the documentation files in this directory and its subdirectories (markdown, reStructuredText, text, doc pages).",
    "Check each claim against the code: commands, flags, options, config keys, environment variables,",
    "function names, file paths, default values and examples. Report what is incorrect, stale, broken",
    `(links, anchors) or missing, at most ${settings.maxIssues} issues, the most harmful first.`,
    "An issue needs evidence from the code; do not report style preferences.",
  ].join("\n");
}

async function discoverDocDirs(wf) {
  const found = await wf.runAgent(
    [
      "List the directories of this repository that hold documentation for its users or contributors:",
      'documentation folders (docs/, doc/, website content) and "." when the root has a README or guides.',
      "Skip dependency folders, build output, changelogs of vendored code and generated API docs.",
      "At most 10 directories, as paths relative to the workspace root.",
    ].join("\n"),
    { schema: DIRS_SCHEMA, description: "find docs" },
  );
  return normalizeDirs(found.dirs).slice(0, 10);
}

function issuesTable(issues) {
  if (issues.length === 0) return "No issues found.";
  return [
    "| severity | where | kind | problem | suggestion |",
    "| --- | --- | --- | --- | --- |",
    ...issues.map((i) => `| ${i.severity} | \`${i.file}${i.line > 0 ? `:${i.line}` : ""}\` | ${i.kind} | ${cell(i.problem)} | ${cell(i.suggestion)} |`),
  ].join("\n");
}

function normalizeDirs(list) {
  const seen = new Set();
  for (const entry of list) seen.add(String(entry).trim().replace(/^\.\//, "").replace(/\/+$/, "") || ".");
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
