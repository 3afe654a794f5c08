// security-sweep.js: sweeps a repository for security weaknesses, area by area, and reports them
// by severity.
//
// One `security-reviewer` sub-agent per area looks for hard-coded secrets, injection (SQL, shell,
// template), unsafe deserialization, path traversal and the other categories below, and reports
// each finding with its evidence as structured data. The areas are reviewed with `settle: true`:
// an area whose review fails is listed under "Not reviewed" instead of sinking the whole report,
// so you know exactly what the sweep did not cover. A `report-writer` writes the summary; the
// complete findings table is built here from the structured results.
//
// Run it from your repository, with the agent types installed (see examples/README.md):
//
//   agentwf exec examples/security-sweep.js --input '{"areas":["src/api","src/storage"]}'
//   agentwf exec examples/security-sweep.js --input '{"categories":["secrets"],"minSeverity":"medium"}'
//
// Input (all optional):
//   areas         directories to review; default: a sub-agent picks the areas that handle
//                 untrusted input, credentials, files or external processes
//   categories    what to look for (default: the list below)
//   minSeverity   leave out findings below it: "critical", "high", "medium" or "low" (default "low")

const DEFAULTS = {
  areas: [],
  categories: [
    "hard-coded secrets (API keys, tokens, passwords, private keys, credentials in URLs)",
    "injection (SQL or NoSQL built from strings, shell commands, template rendering of raw input)",
    "unsafe deserialization (pickle, yaml.load, Java serialization, eval or new Function on data)",
    "path traversal (file paths from untrusted input, archive extraction without entry checks)",
    "server-side request forgery (fetching URLs that untrusted input controls)",
    "cross-site scripting (untrusted data rendered as HTML without escaping)",
    "weak cryptography (MD5 or SHA-1 for passwords, home-made crypto, predictable randomness for secrets)",
    "missing authentication or authorization checks on sensitive operations",
    "insecure defaults (debug mode, permissive CORS, TLS verification turned off)",
  ],
  minSeverity: "low",
};

const SEVERITIES = ["critical", "high", "medium", "low"];

const AREAS_SCHEMA = {
  type: "object",
  properties: {
    areas: { type: "array", items: { type: "string" }, description: "directories, relative to the workspace root" },
  },
  required: ["areas"],
  additionalProperties: false,
};

const FINDINGS_SCHEMA = {
  type: "object",
  properties: {
    findings: {
      type: "array",
      items: {
        type: "object",
        properties: {
          category: { type: "string", description: "one of the categories you were given, in a word or two" },
          severity: { type: "string", enum: SEVERITIES },
          file: { type: "string" },
          line: { type: "integer", minimum: 0 },
          evidence: { type: "string", description: "the offending code, secrets redacted past their first 4 characters" },
          explanation: { type: "string", description: "how an attacker reaches it (source to sink) and what they gain" },
          fix: { type: "string" },
        },
        required: ["category", "severity", "file", "line", "evidence", "explanation", "fix"],
        additionalProperties: false,
      },
    },
    checked: { type: "string", description: "what you examined, in one or two sentences, so a reader can judge coverage" },
  },
  required: ["findings", "checked"],
  additionalProperties: false,
};

async function main(wf) {
  const settings = readInput(wf.input, DEFAULTS, '{"areas":["src"]}');
  const floor = SEVERITIES.indexOf(settings.minSeverity);
  if (floor < 0) throw new Error(`input "minSeverity" must be one of ${SEVERITIES.join(", ")}, got "${settings.minSeverity}"`);
  const categories = settings.categories.length > 0 ? settings.categories : DEFAULTS.categories;
  const areas = settings.areas.length > 0 ? normalizeAreas(settings.areas) : await discoverAreas(wf);
  if (areas.length === 0) throw new Error('no areas to review; name them with --input \'{"areas":["src"]}\'');
  wf.log(`sweeping ${areas.length} area(s) for ${categories.length} categories of weakness`);

  const outcomes = await wf.mapAgents(areas, (area) => reviewPrompt(area, categories), {
    agent: "security-reviewer",
    schema: FINDINGS_SCHEMA,
    description: (area) => `security: ${area}`,
    settle: true,
  });

  const reviewed = [];
  const notReviewed = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.ok) reviewed.push({ area: areas[i], checked: outcome.value.checked, findings: Array.isArray(outcome.value.findings) ? outcome.value.findings : [] });
    else notReviewed.push({ area: areas[i], error: outcome.error });
  });
  for (const miss of notReviewed) wf.log(`not reviewed: ${miss.area}: ${miss.error}`);
  if (reviewed.length === 0) {
    throw new Error(`every area failed, nothing was reviewed: ${notReviewed.map((m) => `${m.area}: ${m.error}`).join("; ")}`);
  }

  const findings = wf
    .flatten(reviewed.map((r) => r.findings.map((f) => ({ area: r.area, ...f }))))
    .filter((f) => rank(f.severity) <= floor)
    .sort((a, b) => rank(a.severity) - rank(b.severity) || String(a.file).localeCompare(String(b.file)));

  const summary = await wf.reduceAgent(
    {
      findings,
      reviewedAreas: reviewed.map((r) => ({ area: r.area, checked: r.checked, findings: r.findings.length })),
      notReviewed,
      minSeverity: settings.minSeverity,
    },
    [
      "These are the results of a security sweep of one repository, reviewed area by area.",
      "Write the security report:",
      "1. A summary: the overall risk, the findings to fix now (critical and high), and which areas",
      "   were NOT reviewed (from `notReviewed`), stated plainly so nobody takes the sweep as complete.",
      '2. "## Fix now": each critical and high finding with file:line, the attack in one sentence and the fix.',
      '3. "## Themes": weaknesses that recur across areas and the systemic fix for each.',
      "Merge duplicates (the same secret reported in two areas is one finding). Do not repeat the full",
      "findings table: it is appended to your report.",
    ].join("\n"),
    { agent: "report-writer", description: "security report" },
  );

  const lines = ["# Security sweep", ""];
  if (notReviewed.length > 0) {
    lines.push(
      `> **Incomplete:** ${notReviewed.length} of ${areas.length} areas could not be reviewed; see "Not reviewed" below.`,
      "",
    );
  }
  lines.push(String(summary).trim(), "", `## Findings (${findings.length}, ${settings.minSeverity} and above)`, "", findingsTable(findings), "");
  lines.push("## Coverage", "", ...reviewed.map((r) => `- \`${r.area}\`: ${r.findings.length} finding(s). ${r.checked}`), "");
  if (notReviewed.length > 0) {
    lines.push("## Not reviewed", "", ...notReviewed.map((m) => `- \`${m.area}\`: ${m.error}`), "");
  }
  return lines.join("\n");
}

function reviewPrompt(area, categories) {
  return [
    `Review the area \`${area}\` of this repository for security weaknesses in these categories:`,
    ...categories.map((c) => `- ${c}`),
    "",
    "Report only findings you verified in the code, each with its evidence and the path by which",
    "untrusted data or an attacker reaches it. An empty list is a fine answer for a clean area.",
    "If the directory does not exist, answer with no findings and say so in `checked`.",
  ].join("\n");
}

async function discoverAreas(wf) {
  const found = await wf.runAgent(
    [
      "List the areas of this repository a security review should cover: directories with code that",
      "handles untrusted input (HTTP handlers, CLIs, parsers, uploads), credentials or configuration,",
      "files and paths, databases, external processes or network calls. Skip tests, docs, vendored and",
      "generated code. At most 12 areas, as paths relative to the workspace root.",
    ].join("\n"),
    { schema: AREAS_SCHEMA, description: "find areas to review" },
  );
  return normalizeAreas(found.areas).slice(0, 12);
}

function rank(severity) {
  const i = SEVERITIES.indexOf(severity);
  return i < 0 ? SEVERITIES.length : i;
}

function findingsTable(findings) {
  if (findings.length === 0) return "No findings at this severity.";
  return [
    "| severity | where | category | evidence | fix |",
    "| --- | --- | --- | --- | --- |",
    ...findings.map((f) => `| ${f.severity} | \`${f.file}${f.line > 0 ? `:${f.line}` : ""}\` | ${cell(f.category)} | \`${cell(f.evidence).replace(/`/g, "'")}\` | ${cell(f.fix)} |`),
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
