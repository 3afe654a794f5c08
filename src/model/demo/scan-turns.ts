// The demo sub-agents' turns ([demo:audit], [demo:imports]): each turn absorbs the new tool results
// into the package's scan and either asks for the next calls or answers with JSON.
import { z } from "zod";
import type { ChatMessage, ModelRequest } from "../types.js";
import { auditPackage, foreignTargets, parseTarget } from "./audit.js";
import type { ImportTarget } from "./imports.js";
import { absorbMeasure, measureStep, startMeasure, type MeasureCall, type MeasureState } from "./measure-turns.js";
import { measuredFinding } from "./measured.js";
import { absorb, advance, startScan, type PlannedCall, type ScanState } from "./scan.js";

/** Tool calls asked for in one turn at most; the rest wait for the next turn. */
export const MAX_CALLS_PER_TURN = 400;

const Npm = z.object({
  name: z.string(),
  dir: z.string(),
  exports: z.record(z.string(), z.array(z.string())),
  entries: z.array(z.string()),
});
const Pkg = z.object({ dir: z.string(), label: z.string(), kind: z.string(), exclude: z.array(z.string()) });
const AuditPayload = z.object({ package: Pkg, npm: z.array(Npm), imported: z.array(z.string()) });
const ImportsPayload = z.object({ package: Pkg, npm: z.array(Npm), owners: z.array(z.string()) });

type Payload =
  | { readonly mode: "audit"; readonly data: z.infer<typeof AuditPayload> }
  | { readonly mode: "imports"; readonly data: z.infer<typeof ImportsPayload> };

interface Conversation {
  readonly payload: Payload;
  readonly scan: ScanState;
  readonly calls: Map<string, PlannedCall>;
  /** An audit first tries to measure with the project's coverage tool (measure-turns.ts). */
  readonly measure: MeasureState | undefined;
  processed: number;
}

// One scan per conversation. The agent loop hands the model the same growing message array each
// turn, so only new results are read; another array (a new conversation) starts from scratch.
const conversations = new WeakMap<readonly ChatMessage[], Conversation>();

function readPayload(prompt: string, mode: Payload["mode"]): Payload | string {
  const json = prompt.slice(prompt.indexOf("\n") + 1);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return "the prompt carries no JSON after its first line";
  }
  if (mode === "audit") {
    const parsed = AuditPayload.safeParse(value);
    return parsed.success ? { mode, data: parsed.data } : `the prompt's JSON is not an audit request: ${parsed.error.issues[0]?.message ?? ""}`;
  }
  const parsed = ImportsPayload.safeParse(value);
  return parsed.success ? { mode, data: parsed.data } : `the prompt's JSON is not an imports request: ${parsed.error.issues[0]?.message ?? ""}`;
}

function plannedCall(name: string, args: string): PlannedCall | undefined {
  if (name !== "glob" && name !== "grep" && name !== "list_dir" && name !== "read_file") return undefined;
  try {
    const value: unknown = JSON.parse(args);
    if (typeof value !== "object" || value === null) return undefined;
    const out: Record<string, string | number> = {};
    for (const [key, v] of Object.entries(value)) if (typeof v === "string" || typeof v === "number") out[key] = v;
    return { name, args: out };
  } catch {
    return undefined;
  }
}

export interface TurnPlan {
  readonly text: string;
  readonly calls: readonly (PlannedCall | MeasureCall)[];
}

/** The next step of a [demo:audit] or [demo:imports] sub-agent. */
export function scanTurn(request: ModelRequest, prompt: string, mode: Payload["mode"]): TurnPlan {
  let conversation = conversations.get(request.messages);
  if (conversation === undefined) {
    const payload = readPayload(prompt, mode);
    if (typeof payload === "string") return { text: `The demo could not read its task: ${payload}.`, calls: [] };
    const { package: pkg, npm } = payload.data;
    const imported = payload.mode === "audit" ? payload.data.imported.map(parseTarget).filter((t): t is ImportTarget => t !== undefined) : [];
    const measure = payload.mode === "audit" ? startMeasure() : undefined;
    conversation = { payload, scan: startScan({ root: pkg.dir, exclude: pkg.exclude, packages: npm, imported }), calls: new Map(), measure, processed: 0 };
    conversations.set(request.messages, conversation);
  }
  const { scan, calls, measure } = conversation;
  const messages = request.messages;
  for (; conversation.processed < messages.length; conversation.processed += 1) {
    const message = messages[conversation.processed];
    if (measure !== undefined && measure.phase.name !== "done") {
      if (message !== undefined) absorbMeasure(measure, message);
    } else if (message?.role === "assistant") {
      for (const call of message.toolCalls) {
        const planned = plannedCall(call.name, call.arguments);
        if (planned !== undefined) calls.set(call.id, planned);
      }
    } else if (message?.role === "tool") {
      const call = calls.get(message.toolCallId);
      if (call !== undefined) absorb(scan, call, message.content, message.content.startsWith("Error:"));
    }
  }
  if (measure !== undefined && measure.phase.name !== "done") {
    // The loop's last turn offers no tools: the audit falls back to what it has.
    if (request.tools === undefined) measure.phase = { name: "done", outcome: { kind: "inferred", reason: "the agent ran out of turns before the coverage tool ran" } };
    const next = measureStep(measure, conversation.payload.data.package, request.tools?.some((t) => t.name === "bash") ?? false);
    if (next.length > 0) return { text: "", calls: next };
  }
  advance(scan);
  if (scan.phase !== "done") {
    if (request.tools !== undefined) return { text: "", calls: scan.todo.splice(0, MAX_CALLS_PER_TURN) };
    scan.incomplete.push(`out of turns with ${scan.todo.length} tool calls still to make`);
  }
  return { text: answer(conversation.payload, scan, measure), calls: [] };
}

function answer(payload: Payload, scan: ScanState, measure: MeasureState | undefined): string {
  const targets: ImportTarget[] = [...scan.targets.values()];
  const pkg = payload.data.package;
  switch (payload.mode) {
    case "audit": {
      const outcome = measure?.phase.name === "done" ? measure.phase.outcome : { kind: "inferred" as const, reason: "the coverage tool was not tried" };
      if (outcome.kind === "measured") return JSON.stringify(measuredFinding(pkg, outcome, scan.kinds, scan.incomplete));
      const imported = payload.data.imported.map(parseTarget).filter((t): t is ImportTarget => t !== undefined);
      return JSON.stringify({ ...auditPackage(pkg, scan.kinds, [...targets, ...imported], scan.incomplete), method: "inferred", inferredBecause: outcome.reason });
    }
    case "imports": {
      const testFiles = [...scan.kinds.values()].filter((kind) => kind === "test").length;
      const refs = foreignTargets(pkg.dir, targets, payload.data.owners);
      return JSON.stringify({ label: pkg.label, dir: pkg.dir, testFiles, refs, incomplete: scan.incomplete });
    }
    default: {
      const unreachable: never = payload;
      return unreachable;
    }
  }
}
