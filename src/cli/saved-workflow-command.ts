// Saved workflows from the command line: `agentwf workflows` lists them; `agentwf run --workflow
// NAME [--args JSON]` and `agentwf exec NAME` run one without a parent agent. A saved workflow may
// come with the repository, so it goes through validation and approval like generated code; an
// approval is remembered by the file's hash in the person's state directory, and a changed file is
// asked about again.
import { describeSandbox } from "../config/sandbox-mode.js";
import { autoApprove, dryRunApproval, type ApprovalPort, type WorkflowProposal } from "../run/approval.js";
import { approvalMemory, rememberedApproval } from "../run/approved-workflows.js";
import { execWorkflow } from "../run/exec-workflow.js";
import { stateHome } from "../run/run-store.js";
import { findSavedWorkflow, loadSavedWorkflows } from "../run/saved-workflows.js";
import { stripForTerminal } from "../text/safe-text.js";
import { createTerminalApproval } from "../ui/terminal-approval.js";
import type { CliIO } from "./cli-io.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { openLiveUi } from "./front-ends.js";
import { runPipeline } from "./run-pipeline.js";
import { normalizeRunOptions, resolveWorkspace } from "./run-options.js";

/** `agentwf workflows`: name, description and folder of each saved workflow, project first. */
export async function workflowsCommand(flags: { cwd?: string }, io: CliIO): Promise<ExitCode> {
  const cwd = resolveWorkspace(flags.cwd, io.cwd);
  const { workflows, problems } = await loadSavedWorkflows(cwd, io.env);
  if (workflows.length === 0) {
    io.stderr.write("agentwf: no saved workflows in .agentwf/workflows, .claude/workflows or .qwen/workflows (here or under your home directory)\n");
  }
  // Every field came from a file a repository may have written: stripped before the terminal.
  for (const w of workflows) {
    const when = w.whenToUse !== undefined ? `\n  when: ${w.whenToUse}` : "";
    io.stdout.write(stripForTerminal(`${w.name}\n  ${w.description}${when}\n  from: ${w.file} (${w.scope})\n`));
  }
  for (const problem of problems) io.stderr.write(`agentwf: ${stripForTerminal(problem)}\n`);
  return EXIT.done;
}

/** Parses --args / --input: any JSON value, given to the workflow as `args` (and `wf.input`). */
export function parseArgsJson(raw: unknown, flag: string): unknown {
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(String(raw));
  } catch (error) {
    throw new CliError(`${flag} is not valid JSON (${(error as Error).message}); quote it, e.g. ${flag} '{"dirs": ["src"]}'`, EXIT.usage);
  }
}

/** True when `name` looks like a saved workflow's name rather than a path. */
export function isWorkflowName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/.test(name) && !/\.(c|m)?[jt]s$/.test(name);
}

/** Runs the saved workflow `name` with `args`, asking for approval unless this content was approved. */
export async function runSavedWorkflow(name: string, args: unknown, rawFlags: Record<string, unknown>, io: CliIO, signal: AbortSignal): Promise<ExitCode> {
  const options = normalizeRunOptions(`workflow ${name}`, rawFlags, io.env, io.cwd);
  const { found, all } = await findSavedWorkflow(options.cwd, io.env, name);
  if (found === undefined) {
    const known = all.workflows.map((w) => w.name);
    throw new CliError(
      `no saved workflow named "${name}"${known.length > 0 ? `; saved: ${known.slice(0, 20).join(", ")}` : ""} (agentwf workflows lists them with their folders)`,
      EXIT.usage,
    );
  }
  if (options.dryRun) {
    // --dry-run never runs anything: the report is the code that would run, as with `run`.
    let shown: WorkflowProposal | undefined;
    const approval = dryRunApproval((p) => {
      shown = p;
    });
    return runPipeline(options, io, signal, {
      record: { command: "exec", file: found.file, input: args },
      execute: (config, ports) => execWorkflow({ ...config, file: found.file, name: found.name, code: found.code, input: args }, { ...ports, approval }),
      present: (outcome) => (shown === undefined ? outcome : { ...outcome, status: "done", report: `${shown.code.trimEnd()}\n`, error: undefined }),
    });
  }
  const live = options.yes ? undefined : await openLiveUi(io, options);
  const memory = approvalMemory(stateHome(io.env));
  let inner: ApprovalPort;
  if (options.yes) inner = autoApprove;
  else if (live !== undefined) inner = live.approval;
  else if (io.stdin.isTTY === true && io.stderr.isTTY === true) {
    inner = createTerminalApproval({ input: io.stdin, output: io.stderr, colorLevel: io.colorLevel, sandboxMode: describeSandbox(options.sandbox, options.network) });
  } else if (await memory.has(found.sha256)) {
    inner = autoApprove;
  } else {
    throw new CliError(
      `no terminal to approve saved workflow "${name}" (${found.file}) on, and this content was never approved: run it once in a terminal, or pass --yes`,
      EXIT.usage,
    );
  }
  // --yes approves this run only; an approval given by the person is remembered for this content.
  const approval = options.yes ? inner : rememberedApproval(inner, memory, found, () => io.stderr.write(`agentwf: ${stripForTerminal(found.file)} was approved before with this exact content; running it\n`));
  return runPipeline(options, io, signal, {
    record: { command: "exec", file: found.file, input: args },
    live,
    execute: (config, ports) => execWorkflow({ ...config, file: found.file, name: found.name, code: found.code, input: args }, { ...ports, approval }),
  });
}
