// The demo coverage-auditor's first steps, before any file-name scan: read the package's manifests,
// find its coverage command (coverage-command.ts), run it through the real `bash` tool (so it runs
// in the run's sandbox, with its timeout and output cap), and read the figures the tool printed
// (coverage-output.ts). The outcome is either "measured by <command>" with those figures, or the
// reason the audit falls back to test names and imports: no bash (no sandbox), no command, or a
// command that failed or printed no table.
import { fileText } from "./packages.js";
import { commandIn, manifestsFor, planCoverage, type CoveragePlan } from "./coverage-command.js";
import { readCoverageOutput, type CoverageReading } from "./coverage-output.js";
import type { ChatMessage } from "../types.js";

export interface MeasureCall {
  readonly name: "read_file" | "bash";
  readonly args: Readonly<Record<string, string | number>>;
}

export type MeasureOutcome =
  | {
      readonly kind: "measured";
      readonly command: string;
      readonly why: string;
      /** The tool's status line ("exit code 0"). */
      readonly status: string;
      readonly reading: CoverageReading;
      /** The tool's output was cut in the middle by bash's output cap: rows may be missing. */
      readonly cut: boolean;
    }
  | { readonly kind: "inferred"; readonly reason: string };

type Phase =
  | { readonly name: "start" }
  | { readonly name: "reading"; readonly files: readonly string[] }
  | { readonly name: "running"; readonly plan: Extract<CoveragePlan, { kind: "command" }> }
  | { readonly name: "done"; readonly outcome: MeasureOutcome };

export interface MeasureState {
  phase: Phase;
  /** Call ids of this phase's calls, by what they were for. */
  readonly ids: Map<string, MeasureCall>;
  readonly results: Map<string, string>;
}

export function startMeasure(): MeasureState {
  return { phase: { name: "start" }, ids: new Map(), results: new Map() };
}

function joinPath(dir: string, file: string): string {
  return dir === "." ? file : `${dir}/${file}`;
}

/** The first line of a failed command's output worth quoting: its last non-empty line, shortened. */
function lastLine(output: string): string {
  const line = output.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("[agentwf:")).at(-1) ?? "";
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}

/** Takes in one message of the conversation (the assistant's calls, the tools' results). */
export function absorbMeasure(state: MeasureState, message: ChatMessage): void {
  if (message.role === "assistant") {
    for (const call of message.toolCalls) {
      if (call.name !== "read_file" && call.name !== "bash") continue;
      try {
        const args: unknown = JSON.parse(call.arguments);
        if (typeof args === "object" && args !== null) state.ids.set(call.id, { name: call.name, args: args as Record<string, string> });
      } catch {
        // Only our own calls come here, and they are JSON.
      }
    }
  } else if (message.role === "tool" && state.ids.has(message.toolCallId)) {
    const call = state.ids.get(message.toolCallId);
    if (call !== undefined) state.results.set(call.name === "bash" ? "bash" : String(call.args.path), message.content);
  }
}

/** The next calls of the measuring phase, or none when it is done (its outcome is in `state.phase`). */
export function measureStep(state: MeasureState, pkg: { readonly dir: string; readonly kind: string }, bashOffered: boolean): MeasureCall[] {
  const phase = state.phase;
  switch (phase.name) {
    case "start": {
      if (!bashOffered) {
        state.phase = { name: "done", outcome: { kind: "inferred", reason: "the bash tool is not offered to this agent (no sandbox could start, or the agent type does not list bash), so no coverage tool could run" } };
        return [];
      }
      const files = manifestsFor(pkg.kind).map((file) => joinPath(pkg.dir, file));
      if (files.length === 0) {
        state.phase = { name: "done", outcome: { kind: "inferred", reason: planReason(planCoverage(pkg.kind, new Map())) } };
        return [];
      }
      state.phase = { name: "reading", files };
      return files.map((path) => ({ name: "read_file", args: { path } }));
    }
    case "reading": {
      const manifests = new Map<string, string>();
      for (const file of phase.files) {
        const text = fileText(state.results.get(file) ?? "Error: not read");
        if (text !== undefined) manifests.set(file.slice(file.lastIndexOf("/") + 1), text);
      }
      const plan = planCoverage(pkg.kind, manifests);
      if (plan.kind === "none") {
        state.phase = { name: "done", outcome: { kind: "inferred", reason: plan.reason } };
        return [];
      }
      state.phase = { name: "running", plan };
      return [{ name: "bash", args: { command: commandIn(pkg.dir, plan.command) } }];
    }
    case "running": {
      state.phase = { name: "done", outcome: outcomeOf(phase.plan, state.results.get("bash") ?? "Error: the command's result never came") };
      return [];
    }
    case "done":
      return [];
    default: {
      const unreachable: never = phase;
      return unreachable;
    }
  }
}

function planReason(plan: CoveragePlan): string {
  return plan.kind === "none" ? plan.reason : "";
}

function outcomeOf(plan: Extract<CoveragePlan, { kind: "command" }>, result: string): MeasureOutcome {
  const shown = `\`${plan.command}\``;
  if (result.startsWith("Error: ")) return { kind: "inferred", reason: `${shown} could not run: ${lastLine(result.slice(7))}` };
  const newline = result.indexOf("\n");
  const status = newline < 0 ? result : result.slice(0, newline);
  const output = newline < 0 ? "" : result.slice(newline + 1);
  const reading = readCoverageOutput(output);
  if (reading === undefined || reading.files.length === 0) {
    const why = status === "exit code 0" ? "printed no coverage table this demo can read" : `ended with ${status}`;
    return { kind: "inferred", reason: `${shown} ${why}${output.trim() === "" || output.trim() === "(no output)" ? "" : `: ${lastLine(output)}`}` };
  }
  return { kind: "measured", command: plan.command, why: plan.why, status, reading, cut: output.includes("[agentwf: ") && output.includes(" bytes of output left out here;") };
}
