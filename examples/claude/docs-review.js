// docs-review.js (Claude Code format): the same review as examples/docs-review.js, written as a
// Claude Code workflow script, so it runs unchanged with Claude Code (save it in
// .claude/workflows/) and with agentwf on any OpenAI-compatible model.
//
// One `docs-reviewer` sub-agent per directory checks what its docs claim against the code; the
// issues are flattened and sorted here, and a `report-writer` writes the review.
//
//   agentwf exec examples/claude/docs-review.js --input '{"dirs":["docs","."]}'
//
// args (all optional): dirs, audience, maxIssues, concurrency — as in examples/docs-review.js
// (`concurrency` is accepted for the same input; here -c decides how many reviewers run at once).

export const meta = {
  name: "docs-review",
  description: "Review the documentation directory by directory against the code it describes",
  whenToUse: "when the docs may have drifted from the code",
  phases: [{ title: "Discover" }, { title: "Review" }, { title: "Write" }],
};

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

const settings = readInput(args, DEFAULTS, '{"dirs":["docs","."]}');
const dirs = settings.dirs.length > 0 ? normalizeDirs(settings.dirs) : await discoverDocDirs();
if (dirs.length === 0) throw new Error('found no documentation to review; name directories with --input \'{"dirs":["docs"]}\'');
log(`reviewing the docs in ${dirs.length} director${dirs.length === 1 ? "y" : "ies"}: ${dirs.join(", ")}`);

phase("Review");
const reviews = await parallel(
  dirs.map((dir) => () => agent(reviewPrompt(dir, settings), { agentType: "docs-reviewer", schema: REVIEW_SCHEMA, label: `docs: ${dir}` })),
);
const failed = dirs.filter((_, i) => reviews[i] === null);
if (failed.length > 0) throw new Error(`the review of ${failed.join(", ")} failed; see the log`);

const issues = reviews
  .flatMap((review, i) => (review.issues || []).map((issue) => ({ directory: dirs[i], ...issue })))
  .sort((a, b) => (SEVERITY_RANK[a.severity] ?? 3) - (SEVERITY_RANK[b.severity] ?? 3) || String(a.file).localeCompare(String(b.file)) || (a.line || 0) - (b.line || 0));
const directories = reviews.map((review, i) => ({
  directory: dirs[i],
  filesReviewed: review.filesReviewed,
  issues: (review.issues || []).length,
  summary: review.summary,
}));

phase("Write");
const report = await agent(
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
    "",
    "<inputs>",
    JSON.stringify({ audience: settings.audience, directories, issues }, null, 2),
    "</inputs>",
  ].join("\n"),
  { agentType: "report-writer", label: "docs review" },
);
if (report === null) throw new Error("the report writer failed; see the log");

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

async function discoverDocDirs() {
  phase("Discover");
  const found = await agent(
    [
      "List the directories of this repository that hold documentation for its users or contributors:",
      'documentation folders (docs/, doc/, website content) and "." when the root has a README or guides.',
      "Skip dependency folders, build output, changelogs of vendored code and generated API docs.",
      "At most 10 directories, as paths relative to the workspace root.",
    ].join("\n"),
    { schema: DIRS_SCHEMA, label: "find docs" },
  );
  if (found === null) throw new Error("finding the documentation failed; see the log");
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
