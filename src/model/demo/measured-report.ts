// The demo's report when some packages were measured by their own coverage tool: one section per
// measured package with the tool's figures as it printed them (lowest line coverage first), the
// command and why it was chosen; packages that could not be measured follow as the name/import
// audit (report.ts), each with the reason it fell back.
import type { Finding } from "./audit.js";
import type { MeasuredFinding } from "./measured.js";
import { codeSpan, writeReport, type ReportInput } from "./report.js";

export interface InferredFinding extends Finding {
  /** Why the coverage tool was not used for this package. */
  readonly inferredBecause?: string;
}

export interface AuditReportInput extends Omit<ReportInput, "findings"> {
  readonly measured: readonly MeasuredFinding[];
  readonly inferred: readonly InferredFinding[];
}

/** Rows of one measured package shown at most; the rest are counted. */
export const MEASURED_ROWS = 200;

function figure(value: number | undefined): string {
  return value === undefined ? "—" : value.toFixed(2);
}

function measuredSection(f: MeasuredFinding): string[] {
  const files = [...f.files].sort((a, b) => a.lines - b.lines || (a.file < b.file ? -1 : 1));
  const perPackage = f.format === "go test -cover";
  const shown = files.slice(0, MEASURED_ROWS);
  const hidden = files.length - shown.length + f.filesUnlisted;
  const lines = [
    "",
    `## ${codeSpan(f.label)} (${codeSpan(f.dir)}): measured by ${codeSpan(f.command)}`,
    "",
    `Measured by ${codeSpan(f.command)}, run through the sandboxed \`bash\` tool in ${codeSpan(f.dir)} (chosen because of the ${f.why}); it ended with ${f.status}. The figures are the tool's own (${f.format} table), ${perPackage ? "per package" : "per file"}, lowest line coverage first.`,
    "",
    `| ${perPackage ? "Package" : "File"} | Lines % | Branches % | Functions % | Uncovered lines |`,
    "| --- | ---: | ---: | ---: | --- |",
    ...shown.map((r) => `| ${codeSpan(r.file, true)} | ${figure(r.lines)} | ${figure(r.branches)} | ${figure(r.functions)} | ${r.uncovered === undefined ? "" : `${codeSpan(r.uncovered, true)} `}|`),
  ];
  if (f.total !== undefined) lines.push(`| **All files** (the tool's total) | **${figure(f.total.lines)}** | **${figure(f.total.branches)}** | **${figure(f.total.functions)}** | |`);
  if (hidden > 0) lines.push("", `… and ${hidden} more file(s) in the tool's table, not shown here.`);
  if (f.notReported.length > 0) {
    lines.push("", `Source files the tool's table does not name (no test loaded them, so the tool measured nothing there): ${f.notReported.map((file) => codeSpan(file)).join(", ")}.`);
  }
  if (f.cut) lines.push("", "**The tool's output was cut** by the bash tool's output cap; rows in the cut part are missing.");
  return lines;
}

/** Packages named per reason at most; a monorepo's hundreds share one or two reasons. */
const LABELS_PER_REASON = 5;

/** Why the figures were inferred, once per distinct reason, naming its packages when there are several. */
function methodLine(inferred: readonly InferredFinding[]): string | undefined {
  const byReason = new Map<string, string[]>();
  for (const f of inferred) if (f.inferredBecause !== undefined) byReason.set(f.inferredBecause, [...(byReason.get(f.inferredBecause) ?? []), f.label]);
  if (byReason.size === 0) return undefined;
  const reasons = [...byReason].map(([reason, labels]) => {
    if (inferred.length === 1) return reason;
    const named = labels.slice(0, LABELS_PER_REASON).map((label) => codeSpan(label)).join(", ");
    const more = labels.length > LABELS_PER_REASON ? ` and ${labels.length - LABELS_PER_REASON} more` : "";
    return `${reason} (${named}${more})`;
  });
  return `**Method:** not measured; inferred from test file names and imports because ${reasons.join("; ")}.`;
}

/** The whole report: measured packages, then those audited from their tests. */
export function writeAuditReport(input: AuditReportInput): string {
  const method = methodLine(input.inferred);
  const nameReport = writeReport({ ...input, findings: input.inferred, ...(method !== undefined ? { method } : {}) });
  if (input.measured.length === 0) return nameReport;
  const header = [
    "# Test coverage audit",
    "",
    `> Written offline by agentwf's **demo model**, which audits test coverage whatever the task (${codeSpan(input.task.split("\n")[0]?.slice(0, 80) ?? "")}). Run with \`-m provider/model\` for a real model.`,
    "",
    `**Measured** by the project's own coverage tool in ${input.measured.length} package${input.measured.length === 1 ? "" : "s"} of ${codeSpan(input.workspace)}${input.inferred.length > 0 ? `; ${input.inferred.length} more inferred from test names and imports (below)` : ""}.`,
  ];
  const lines = [...header, ...input.measured.flatMap(measuredSection)];
  const incomplete = input.measured.flatMap((f) => f.incomplete.map((note) => `${f.label}: ${note}`));
  if (incomplete.length > 0) lines.push("", "The scan for files the tool did not name could not see everything:", "", ...incomplete.map((note) => `- ${codeSpan(note)}`));
  if (input.inferred.length > 0) {
    const body = nameReport.slice(nameReport.indexOf("\n**Scanned:**"));
    lines.push("", "## Packages not measured", body.trimEnd());
  }
  return `${lines.join("\n")}\n`;
}
