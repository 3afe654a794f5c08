// `agentwf runs` and `agentwf runs show ID`: what earlier runs did, from the run store.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { listRuns, readRunEvents, summarizeRun, type RunSummary } from "../run/run-history.js";
import { stateHome } from "../run/run-store.js";
import { resumeCommand } from "./run-record.js";
import { stripForTerminal } from "../text/safe-text.js";
import { CliError, EXIT, type ExitCode } from "./exit-codes.js";
import type { CliIO } from "./cli-io.js";

function line(run: RunSummary): string {
  const when = run.startedAt !== undefined ? new Date(run.startedAt).toISOString().replace("T", " ").slice(0, 16) : "?";
  const task = stripForTerminal(run.task).split("\n")[0] ?? "";
  return `${run.runId}  ${when}  ${run.status.padEnd(11)} ${String(run.agents).padStart(3)} agents  ${task.length > 60 ? `${task.slice(0, 59)}…` : task}`;
}

export async function runsCommand(io: CliIO, limit: number): Promise<ExitCode> {
  const home = stateHome(io.env);
  const runs = await listRuns(home);
  if (runs.length === 0) {
    io.stderr.write(`agentwf: no runs yet under ${home}\n`);
    return EXIT.done;
  }
  for (const run of runs.slice(0, limit)) {
    io.stdout.write(`${line(run)}\n`);
    if (run.resumable && run.meta !== undefined) io.stdout.write(`    resume: ${stripForTerminal(resumeCommand(run.meta))}\n`);
  }
  if (runs.length > limit) io.stderr.write(`(${runs.length - limit} older runs not shown; pass --limit)\n`);
  return EXIT.done;
}

export async function runsShowCommand(id: string, io: CliIO): Promise<ExitCode> {
  const home = stateHome(io.env);
  // Ids are folder names: refuse anything that could leave the runs folder.
  if (!/^[\w.-]+$/.test(id)) throw new CliError(`"${id}" is not a run id; see agentwf runs`, EXIT.usage);
  const dir = path.join(home, "runs", id);
  const { events, badLines } = await readRunEvents(dir);
  if (events.length === 0) throw new CliError(`no run "${id}" under ${home}; see agentwf runs`, EXIT.usage);
  const run = summarizeRun(id, dir, events);
  const cost = run.costUsd !== undefined && run.costUsd > 0 ? ` · $${run.costUsd.toFixed(4)}` : "";
  const out = [
    `run:      ${run.runId}`,
    `task:     ${run.task}`,
    `model:    ${run.model}`,
    `status:   ${run.status}${run.error ? ` (${run.error})` : ""}`,
    `agents:   ${run.agents} (${run.failedAgents} failed) · ${run.tokens.toLocaleString("en-US")} tokens${cost}`,
    `folder:   ${dir}`,
  ];
  if (run.resumable && run.meta !== undefined) out.push(`resume:   ${resumeCommand(run.meta)}`);
  const workflows = await readdir(path.join(dir, "workflows")).catch(() => []);
  if (workflows.length > 0) out.push(`workflows: ${workflows.join(", ")}`);
  if (badLines > 0) out.push(`warning:  ${badLines} line(s) of events.jsonl could not be read`);
  // Everything here was written by models, workflows or the workspace: stripped on every output.
  io.stdout.write(`${stripForTerminal(out.join("\n"))}\n`);
  const report = await readFile(path.join(dir, "report.md"), "utf8").catch(() => undefined);
  if (report !== undefined) io.stdout.write(`\n${stripForTerminal(report)}${report.endsWith("\n") ? "" : "\n"}`);
  return EXIT.done;
}
