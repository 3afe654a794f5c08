// The commander program: parses argv, runs a command, and turns every way it can end into an exit
// code from the one table. entry.ts turns that code into `process.exit`; nothing else in the CLI
// exits.
import os from "node:os";
import { Command, CommanderError, Option } from "commander";
import { chalkStderr } from "chalk";
import { ConfigError } from "../config/config-error.js";
import { CONFIRM_OVER, limitHelp } from "../config/limits.js";
import { PROVIDER_IDS } from "../config/providers.js";
import { redactUrlCredentials } from "../text/url-credentials.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import { stripForTerminal } from "../text/safe-text.js";
import { isBrokenPipe } from "./report-output.js";
import type { CliIO } from "./cli-io.js";

import { OUTPUT_FORMATS } from "./output-formats.js";
import { SANDBOX_MODES } from "../config/sandbox-mode.js";

// Each command's module is loaded when that command runs: the model SDK, the sandbox and the
// type checker cost hundreds of milliseconds that `--help` and `--version` should not pay.

/**
 * Starts the type checker's worker thread now, so the compiler loads while the command starts up;
 * with `file` (exec), only when that file's check is not in the person's type-check cache.
 */
function warmTypeChecker(io: CliIO, file?: string): void {
  void import("../workflow/type-check-worker.js")
    .then((m) => {
      m.useTypeCheckCache(m.typeCheckCacheDir(io.env, io.env.HOME ?? os.homedir()));
      if (file === undefined) return m.startTypeChecker();
      return m.startTypeCheckerUnlessCached(import("./check-command.js").then((c) => c.readWorkflowFile(file, io.cwd)));
    })
    .catch(() => undefined);
}

/** Starts the sandbox child now (exec), so Node and isolated-vm load while the command starts up. */
function warmSandbox(): void {
  void import("../workflow/sandbox-process.js").then((m) => m.prepareSandbox()).catch(() => undefined);
}

const VERSION = "0.1.0";

/** Flags shared by `run` and `exec`: where the models are and how much work may run. */
function addModelAndLimitFlags(command: Command): Command {
  return command
    .option("-m, --model <provider/model>", `model for the agents, e.g. openai/gpt-4o-mini, or "demo" for the offline demo (env AGENTWF_MODEL; providers: ${PROVIDER_IDS.join(", ")})`)
    .option("--base-url <url>", "OpenAI-compatible server for every model (else env AGENTWF_BASE_URL, OPENAI_BASE_URL, then baseUrl in your own config file; never the project's)")
    .option("-c, --concurrency <n>", limitHelp("concurrency"))
    .option("--max-agents <n>", limitHelp("maxAgents"))
    .option("--timeout <duration>", limitHelp("wallTimeMs", ", e.g. 90s, 30m, 2h"))
    .option("--budget <amount>", "stop starting sub-agents once the run has spent this much: USD (2.50) or tokens (500k-tokens)")
    .option(`${CONFIRM_OVER.flag} <limit>`, CONFIRM_OVER.help)
    .option("--yes-over", "run a workflow past --confirm-over without asking (needed without a terminal)")
    .option("--cwd <dir>", "the workspace (default: the current directory)")
    .addOption(
      new Option("--sandbox <mode>", "what sub-agents' tools may do: read-only (look, and run commands on a throw-away copy), workspace-write (edit files, commands write only the workspace), danger-full-access (commands without a sandbox) (default: read-only; config key sandbox)").choices(SANDBOX_MODES),
    )
    .option("--network", "let commands in the sandbox reach the network (default: no network; config key network)")
    .option("-o, --output <file>", "also write the report to FILE (through symlinks; files replaced atomically, keeping their mode)")
    .option("--json", "print one JSON result object instead of the report (same as --output-format json)")
    .option("--resume <run-id>", "continue an interrupted, paused, failed or killed run (agentwf runs lists them): finished sub-agents are taken from its journal, not run again")
    .addOption(new Option("--output-format <format>", "text: the report; json: one result object; stream-json: every event as a JSON line, then the result").choices(OUTPUT_FORMATS));
}

export function buildProgram(io: CliIO, signal: AbortSignal, setExit: (code: ExitCode) => void): Command {
  const program = new Command("agentwf")
    .description("Run dynamic workflows: a parent agent writes a JavaScript program that fans work out to sub-agents; you approve it; agentwf runs it in an isolated V8 and prints the report.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  addModelAndLimitFlags(
    program
      .command("run")
      .description("ask the parent agent to do TASK with a workflow of sub-agents; the report goes to stdout")
      .argument("[task]", 'what to do, e.g. "audit test coverage"; - reads it from stdin (none with --resume)')
      .option("--agent-model <provider/model>", "model for the sub-agents (default: --model)")
      .option("-y, --yes", "run the workflows the agent writes without asking (needed without a terminal)")
      .option("--dry-run", "stop at the first valid workflow and print its code instead of running it")
      .addOption(new Option("--dialect <dialect>", "the workflow format the parent writes: main (async function main(wf), the default) or claude (Claude Code's script format)").choices(["main", "claude"]))
      .option("--workflow <name>", "run a saved workflow (see agentwf workflows) instead of asking a parent agent; asks for approval unless this exact file was approved before")
      .option("--args <json>", "with --workflow: JSON value given to the workflow as args (and wf.input)"),
  ).action(async (task: string | undefined, flags: unknown) => {
    warmTypeChecker(io);
    // With --yes a workflow runs as soon as it is valid: its sandbox child starts now. Otherwise
    // once a workflow is valid (run-pipeline.ts sandboxesAt), while the person reads the approval
    // screen: started here, its start-up competed for the CPU with the UI, the parent's request
    // and the type check on the way to that screen.
    if ((flags as { yes?: unknown } | undefined)?.yes === true) warmSandbox();
    const { runCommand } = await import("./run-command.js");
    setExit(await runCommand(task, flags, io, signal));
  });

  addModelAndLimitFlags(
    program
      .command("exec")
      .description("run a workflow file (async function main(wf), or a Claude Code–format script) directly, without a parent agent; its result goes to stdout")
      .argument("<file>", "the workflow file, or the name of a saved workflow (asked for approval unless approved before)")
      .option("--input <json>", "JSON value given to the workflow as wf.input"),
  ).action(async (file: string, flags: unknown) => {
    warmTypeChecker(io, file);
    warmSandbox();
    const { execCommand } = await import("./exec-command.js");
    setExit(await execCommand(file, flags, io, signal));
  });

  program
    .command("check")
    .description("validate a workflow file and print its diagnostics (exit 1 on errors)")
    .argument("<file>", "the workflow file")
    .action(async (file: string) => {
      warmTypeChecker(io);
      const { checkCommand } = await import("./check-command.js");
      setExit(await checkCommand(file, io));
    });

  program
    .command("workflows")
    .description("list saved workflows (.agentwf/workflows, .claude/workflows, .qwen/workflows, here then under your home directory)")
    .option("--cwd <dir>", "the workspace (default: the current directory)")
    .action(async (flags: { cwd?: string }) => {
      const { workflowsCommand } = await import("./saved-workflow-command.js");
      setExit(await workflowsCommand(flags, io));
    });

  program
    .command("agents")
    .description("list the agent types a workflow can use, and any agent files that failed to load")
    .option("--cwd <dir>", "the workspace (default: the current directory)")
    .addOption(
      new Option("--sandbox <mode>", "what sub-agents' tools may do: read-only (look, and run commands on a throw-away copy), workspace-write (edit files, commands write only the workspace), danger-full-access (commands without a sandbox) (default: read-only; config key sandbox)").choices(SANDBOX_MODES),
    )
    .option("--network", "let commands in the sandbox reach the network (default: no network; config key network)")
    .option("--json", "one JSON object on stdout: every agent type with its origin, folder, file, format and ecosystem, tools, sandbox, model, notes; and the files that failed to load")
    .action(async (flags: { cwd?: string; json?: boolean }) => {
      const { agentsCommand } = await import("./agents-command.js");
      setExit(await agentsCommand(flags, io));
    });

  const runs = program
    .command("runs")
    .description("list earlier runs (kept under $AGENTWF_HOME, else the XDG state directory) and the command that resumes each unfinished one")
    .option("-n, --limit <n>", "how many to list", "20")
    .action(async (flags: { limit: string }) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError(`--limit takes a whole number of at least 1, not "${flags.limit}"`, EXIT.usage);
      const { runsCommand } = await import("./runs-command.js");
      setExit(await runsCommand(io, limit));
    });
  runs
    .command("show")
    .description("show one run: task, model, status, agents, tokens, and its report")
    .argument("<id>", "the run id, as agentwf runs lists it")
    .action(async (id: string) => {
      const { runsShowCommand } = await import("./runs-command.js");
      setExit(await runsShowCommand(id, io));
    });

  return program;
}

/** Runs the CLI with `argv` and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIO, signal: AbortSignal): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.done;
  const program = buildProgram(io, signal, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.done;
      return EXIT.usage;
    }
    if (isBrokenPipe(error)) return exitCode;
    // Messages quote flags, files and servers: what could drive the terminal is stripped first.
    if (error instanceof CliError || error instanceof ConfigError) {
      io.stderr.write(`${chalkStderr.red("agentwf:")} ${stripForTerminal(redactUrlCredentials(error.message))}\n`);
      return error instanceof CliError ? error.exitCode : EXIT.usage;
    }
    const debug = io.env.AGENTWF_DEBUG === "1";
    const detail = debug && error instanceof Error ? `\n${error.stack ?? ""}` : " (set AGENTWF_DEBUG=1 to see the stack trace)";
    io.stderr.write(`${chalkStderr.red("agentwf: internal error:")} ${stripForTerminal(redactUrlCredentials(`${error instanceof Error ? error.message : String(error)}${detail}`))}\n`);
    return EXIT.failed;
  }
}
