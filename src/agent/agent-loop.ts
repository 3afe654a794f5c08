// The agent loop as a plain function: messages → model → tool calls → … → final answer. The
// model, the tools, the event sink and the abort signal all come in as parameters, so tests drive
// it with a scripted model and no network.
import { addUsage, emptyUsage, type Emit, type Usage } from "../events.js";
import type { AssistantTurn, ChatMessage, Model, ModelErrorKind, ModelRequest, ToolCall } from "../model/types.js";
import type { AgentTool, ToolOutcome } from "../tools/tool.js";

export interface AgentLoopConfig {
  readonly agentId: string;
  readonly model: Model;
  readonly systemPrompt: string;
  readonly prompt: string;
  readonly tools: readonly AgentTool[];
  /** Model calls allowed; the last one is made without tools so that the agent must answer. */
  readonly maxTurns: number;
  readonly emit: Emit;
  readonly signal: AbortSignal;
  readonly responseFormat?: ModelRequest["responseFormat"];
  /** Bound on each model call, retries included (the parent's `--timeout`). */
  readonly modelTimeoutMs?: number;
}

/**
 * `refused`: the model declined (its words are in `error`); `truncated`: the server cut the
 * answer at its output limit before any answer text.
 */
export type AgentFailureKind = ModelErrorKind | "aborted" | "empty_answer" | "refused" | "truncated";

export type AgentOutcome =
  | {
      readonly ok: true;
      readonly text: string;
      readonly usage: Usage;
      readonly turns: number;
      /** The server cut the answer at its output limit; `text` ends with a note that says so. */
      readonly truncated?: boolean;
    }
  | {
      readonly ok: false;
      readonly kind: AgentFailureKind;
      readonly error: string;
      readonly usage: Usage;
      readonly turns: number;
    };

const TURN_LIMIT_NOTE =
  "You have used all your turns for tools. Answer now with your final answer, from what you have found so far.";
const EMPTY_ANSWER_NOTE = "Your last reply was empty. Give your final answer now as text.";
/** Ends a cut answer, so that whoever reads it (a workflow, the parent, the person) knows. */
export const TRUNCATED_NOTE = "[agentwf: this answer is incomplete: the model stopped at its output token limit]";

/** Runs one agent to its final answer (the last assistant text). Never throws. */
export async function runAgentLoop(config: AgentLoopConfig): Promise<AgentOutcome> {
  const { agentId, emit, signal } = config;
  const messages: ChatMessage[] = [
    { role: "system", content: config.systemPrompt },
    { role: "user", content: config.prompt },
  ];
  const byName = new Map(config.tools.map((tool) => [tool.name, tool]));
  let usage = emptyUsage();
  let nudged = false;

  for (let turn = 1; turn <= config.maxTurns; turn += 1) {
    const lastTurn = turn === config.maxTurns;
    if (lastTurn && config.tools.length > 0 && turn > 1) addNote(messages, TURN_LIMIT_NOTE);
    const request: ModelRequest = {
      messages,
      ...(lastTurn || config.tools.length === 0 ? {} : { tools: config.tools.map((tool) => tool.spec) }),
      ...(config.responseFormat ? { responseFormat: config.responseFormat } : {}),
    };
    const reply: AssistantTurn = await config.model.stream(request, {
      signal,
      ...(config.modelTimeoutMs !== undefined ? { timeoutMs: config.modelTimeoutMs } : {}),
      onDelta(delta) {
        switch (delta.type) {
          case "text":
            emit({ type: "agent_text", agentId, delta: delta.delta });
            break;
          case "thinking":
            emit({ type: "agent_thinking", agentId, delta: delta.delta });
            break;
          case "retry":
            emit({ type: "model_retry", agentId, attempt: delta.attempt, delayMs: delta.delayMs, reason: delta.reason });
            break;
          case "usage":
            break;
          default: {
            const unreachable: never = delta;
            return unreachable;
          }
        }
      },
    });
    usage = addUsage(usage, reply.usage);
    emit({ type: "usage", agentId, usage: reply.usage });

    switch (reply.stopReason) {
      case "aborted":
        return { ok: false, kind: "aborted", error: "cancelled", usage, turns: turn };
      case "error":
        return {
          ok: false,
          kind: reply.error?.kind ?? "server",
          error: reply.error?.message ?? "the model call failed",
          usage,
          turns: turn,
        };
      case "tool_calls": {
        messages.push({ role: "assistant", content: reply.text, toolCalls: reply.toolCalls });
        // Calls of one turn run at once; results go back in the order the model made the calls.
        const outcomes = await Promise.all(reply.toolCalls.map((call) => runToolCall(call, byName, config)));
        reply.toolCalls.forEach((call, i) => {
          const outcome = outcomes[i] ?? { ok: false, error: "no result" };
          messages.push({
            role: "tool",
            toolCallId: call.id,
            name: call.name,
            content: outcome.ok ? outcome.output : `Error: ${outcome.error}`,
          });
        });
        if (signal.aborted) return { ok: false, kind: "aborted", error: "cancelled", usage, turns: turn };
        continue;
      }
      case "refused":
        return { ok: false, kind: "refused", error: `the model refused: ${reply.refusal ?? "(no reason given)"}`, usage, turns: turn };
      case "length": {
        if (reply.text.trim() === "") {
          return { ok: false, kind: "truncated", error: "the model reached its output token limit before writing an answer", usage, turns: turn };
        }
        emit({ type: "warning", message: `${agentId}: the answer is incomplete: the model stopped at its output token limit` });
        return { ok: true, text: `${reply.text.trimEnd()}\n\n${TRUNCATED_NOTE}`, usage, turns: turn, truncated: true };
      }
      case "stop": {
        if (reply.text.trim() !== "") return { ok: true, text: reply.text, usage, turns: turn };
        if (nudged || lastTurn) {
          return { ok: false, kind: "empty_answer", error: "the model gave an empty answer", usage, turns: turn };
        }
        nudged = true;
        messages.push({ role: "assistant", content: reply.text, toolCalls: [] });
        messages.push({ role: "user", content: EMPTY_ANSWER_NOTE });
        continue;
      }
      default: {
        const unreachable: never = reply.stopReason;
        return unreachable;
      }
    }
  }
  return { ok: false, kind: "empty_answer", error: `no answer within ${config.maxTurns} turns`, usage, turns: config.maxTurns };
}

/**
 * Tells the model something between turns. After tool results the note joins the last result,
 * because Mistral rejects a user message right after a tool message ("Unexpected role 'user'
 * after role 'tool'").
 */
function addNote(messages: ChatMessage[], note: string): void {
  const last = messages.at(-1);
  if (last?.role === "tool") messages[messages.length - 1] = { ...last, content: `${last.content}\n\n[agentwf] ${note}` };
  else messages.push({ role: "user", content: note });
}

async function runToolCall(call: ToolCall, byName: ReadonlyMap<string, AgentTool>, config: AgentLoopConfig): Promise<ToolOutcome> {
  const { emit, agentId, signal } = config;
  const tool = byName.get(call.name);
  const summary = tool ? tool.summarize(call.arguments) : call.name;
  emit({ type: "tool_start", agentId, callId: call.id, tool: call.name, summary });
  // An unknown tool is the model's mistake to fix, so it goes back as a result, not an exception.
  const outcome: ToolOutcome = tool
    ? await tool.run(call.arguments, { signal, agentId })
    : { ok: false, error: `unknown tool "${call.name}"; available: ${[...byName.keys()].join(", ") || "none"}` };
  emit({
    type: "tool_end",
    agentId,
    callId: call.id,
    tool: call.name,
    ok: outcome.ok,
    summary: outcome.ok ? firstLine(outcome.output) : outcome.error,
  });
  return outcome;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
