// The demo parent's turns: list the workspace, find its packages from their manifests, propose
// the audit workflow, and write the report from the workflow's result.
import { z } from "zod";
import type { ChatMessage, ModelRequest } from "../types.js";
import { baseName, dirName } from "./file-kinds.js";
import type { NpmPackage } from "./imports.js";
import {
  MANIFEST_GLOB,
  MANIFEST_NAMES,
  fileText,
  isWalkedManifest,
  npmPackage,
  workspaceMembers,
  workspacePackages,
  workspacePatterns,
} from "./packages.js";
import { MeasuredFinding } from "./measured.js";
import { writeAuditReport } from "./measured-report.js";
import { codeSpan } from "./report.js";
import type { PlannedCall } from "./scan.js";
import { readEntries, readPage } from "./tool-output.js";
import { TSCONFIG_FILES, tsconfigAliases } from "./tsconfig-paths.js";
import { demoWorkflow } from "./workflow.js";

/** Pages of the manifest listing fetched at most; past that the packages found so far are audited. */
const MAX_MANIFEST_PAGES = 100;

export interface ParentStep {
  readonly text: string;
  readonly calls: readonly (PlannedCall | { readonly name: "workflow"; readonly args: Readonly<Record<string, string>> })[];
}

interface Exchange {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly result: string | undefined;
}

function exchanges(messages: readonly ChatMessage[]): Exchange[] {
  const results = new Map<string, string>();
  for (const m of messages) if (m.role === "tool") results.set(m.toolCallId, m.content);
  return messages.flatMap((m) =>
    m.role === "assistant"
      ? m.toolCalls.map((call) => {
          let args: Record<string, unknown> = {};
          try {
            const parsed: unknown = JSON.parse(call.arguments);
            if (typeof parsed === "object" && parsed !== null) args = parsed as Record<string, unknown>;
          } catch {
            // Our own calls are always JSON; anything else is simply not one of them.
          }
          return { name: call.name, args, result: results.get(call.id) };
        })
      : [],
  );
}

const Finding = z.object({
  dir: z.string(),
  label: z.string(),
  kind: z.string(),
  sourceFiles: z.number(),
  testFiles: z.number(),
  testedByName: z.number(),
  testedByImport: z.number(),
  testedByGoPackage: z.number(),
  untested: z.array(z.string()),
  untestedUnnamed: z.number().default(0),
  incomplete: z.array(z.string()),
  method: z.literal("inferred").optional(),
  inferredBecause: z.string().optional(),
});
const WorkflowResult = z.object({
  findings: z.array(z.union([MeasuredFinding, Finding])),
  testPackages: z.array(z.object({ label: z.string(), dir: z.string(), testFiles: z.number(), incomplete: z.array(z.string()) })),
});

/** The workspace folder, as the system prompt names it. */
export function workspaceOf(messages: readonly ChatMessage[]): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  return /Workspace root: (.+?) \(tool paths are relative to it\)/.exec(system)?.[1] ?? ".";
}

/** The parent's next step. */
export function parentTurn(request: ModelRequest): ParentStep {
  const task = request.messages.find((m) => m.role === "user")?.content ?? "";
  const workspace = workspaceOf(request.messages);
  const done = exchanges(request.messages);
  const workflowCall = done.filter((e) => e.name === "workflow").at(-1);
  if (workflowCall !== undefined) return { text: reportFrom(task, workspace, workflowCall.result ?? ""), calls: [] };

  if (!done.some((e) => e.name === "list_dir")) {
    return {
      text: "Looking at the workspace and its package manifests first.",
      calls: [
        { name: "list_dir", args: { path: "." } },
        { name: "glob", args: { pattern: MANIFEST_GLOB, path: "." } },
      ],
    };
  }

  const manifestPages = done.filter((e) => e.name === "glob" && e.args.pattern === MANIFEST_GLOB);
  const first = manifestPages[0];
  const firstPage = readPage(first?.result ?? "");
  if (firstPage.more !== undefined && manifestPages.length === 1) {
    const size = firstPage.more.next;
    const calls: PlannedCall[] = [];
    for (let next = size; next < firstPage.more.total && calls.length < MAX_MANIFEST_PAGES; next += size) {
      calls.push({ name: "glob", args: { pattern: MANIFEST_GLOB, path: ".", offset: next } });
    }
    return { text: "Reading the rest of the manifest list.", calls };
  }
  const manifests = manifestPages
    .flatMap((e) => readPage(e.result ?? "").lines)
    .filter((line) => (MANIFEST_NAMES as readonly string[]).includes(baseName(line)) && isWalkedManifest(line));

  const read = new Map(done.filter((e) => e.name === "read_file" && typeof e.args.path === "string").map((e) => [String(e.args.path), e.result ?? ""]));
  const rootEntries = new Set(readEntries(readPage(done.find((e) => e.name === "list_dir")?.result ?? "").lines).map((entry) => entry.name));
  const tsconfigs = TSCONFIG_FILES.filter((file) => rootEntries.has(file));
  const roots = [...["package.json", "pnpm-workspace.yaml"].filter((file) => manifests.includes(file)), ...tsconfigs];
  const rootsToRead = roots.filter((file) => !read.has(file));
  if (rootsToRead.length > 0) return { text: "Reading the workspace's root manifests.", calls: rootsToRead.map((path) => ({ name: "read_file", args: { path } })) };

  const patterns = workspacePatterns(readText(read, "package.json"), readText(read, "pnpm-workspace.yaml"));
  const members = workspaceMembers(manifests, patterns);
  const memberFiles = members.map((dir) => `${dir}/package.json`);
  const membersToRead = memberFiles.filter((file) => !read.has(file));
  if (membersToRead.length > 0) return { text: `Reading ${membersToRead.length} workspace package manifests.`, calls: membersToRead.map((path) => ({ name: "read_file", args: { path } })) };

  const npm: NpmPackage[] = [];
  for (const file of roots.includes("package.json") ? ["package.json", ...memberFiles] : memberFiles) {
    const entry = npmPackage(dirName(file), readText(read, file));
    if (entry !== undefined) npm.push(entry);
  }
  const workspaceName = baseName(workspace) || workspace;
  const packages = workspacePackages({ manifests, members, npm, workspaceName });
  // After the packages are named: an alias names a way to import, not a package.
  npm.push(...tsconfigAliases(tsconfigs.map((file) => ({ text: readText(read, file) ?? "" })), members));
  const audited = packages.filter((p) => p.role === "audit").length;
  return {
    text: `Auditing ${audited} package${audited === 1 ? "" : "s"}${packages.length > audited ? ` and the imports of ${packages.length - audited} test package(s)` : ""}.`,
    calls: [{ name: "workflow", args: { name: "demo-coverage-audit", code: demoWorkflow(packages, npm) } }],
  };
}

function readText(read: ReadonlyMap<string, string>, file: string): string | undefined {
  const result = read.get(file);
  return result === undefined ? undefined : fileText(result);
}

function reportFrom(task: string, workspace: string, result: string): string {
  if (result.startsWith("Error:")) return `# Test coverage audit (demo model)\n\nThe workflow did not finish: ${result.slice(7)}\n`;
  let value: unknown;
  try {
    value = JSON.parse(result.slice(result.indexOf("{")));
  } catch {
    value = undefined;
  }
  const parsed = WorkflowResult.safeParse(value);
  if (!parsed.success) {
    return `# Test coverage audit (demo model)\n\nThe workflow's result is not the audit's findings (${parsed.error.issues[0]?.message ?? "not JSON"}); it was:\n\n${result}\n`;
  }
  const { findings } = parsed.data;
  const audited = new Set(findings.map((f) => f.dir));
  const testPackages = parsed.data.testPackages.filter((p) => !audited.has(p.dir));
  const notes =
    testPackages.length === 0
      ? []
      : [`Packages of tests only, whose imports were counted: ${testPackages.map((p) => `${codeSpan(p.label)} in ${codeSpan(p.dir)} (${p.testFiles} test file${p.testFiles === 1 ? "" : "s"})`).join(", ")}.`];
  const incomplete = parsed.data.testPackages.flatMap((p) => p.incomplete.map((note) => `${p.label} (imports): ${note}`));
  const measured = findings.flatMap((f) => (f.method === "measured" ? [f] : []));
  const inferred = findings.flatMap((f) => (f.method === "measured" ? [] : [f]));
  return writeAuditReport({ task, workspace, measured, inferred, notes, incomplete });
}
