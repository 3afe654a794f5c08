// Events → what the terminal UI shows. A pure reducer, so the components stay dumb and every rule
// here (what folds into the scrollback, what a pane shows, what the counters say) is unit-tested
// without a terminal. Text from models, tools and workflows is made safe to draw on the way in, so
// nothing later can forget to.
import { addUsage, emptyUsage, type PauseCause, type RunEvent, type RunStatus, type Usage } from "../events.js";
import { formatDuration } from "../text/duration.js";
import { splitIncompleteEscape } from "../text/safe-text.js";
import { displayText } from "./format.js";

/** Characters of streamed text kept per agent: enough for the last lines of a pane. */
export const TAIL_CHARS = 4000;

export interface ToolActivity {
  readonly summary: string;
  readonly running: boolean;
  readonly ok: boolean;
}

/** A sub-agent that is running now. */
export interface AgentView {
  readonly id: string;
  readonly agentType: string;
  readonly description: string;
  readonly model: string;
  readonly startedAt: number;
  readonly usage: Usage;
  readonly tool: ToolActivity | undefined;
  readonly toolCalls: number;
  /** The end of its streamed answer (or reasoning, until an answer starts). */
  readonly tail: string;
  /** The start of a control sequence that the next delta completes (never drawn). */
  readonly pending: string;
  readonly thinking: boolean;
  /** Set while the model server is being retried. */
  readonly retry: string | undefined;
}

export interface FinishedAgent {
  readonly id: string;
  readonly agentType: string;
  readonly description: string;
  readonly ok: boolean;
  readonly error: string | undefined;
  readonly durationMs: number;
  readonly usage: Usage;
}

/** The run as it ended, for the summary line (run-history's RunSummary is a stored run's listing). */
export interface FinishedRun {
  readonly runId: string;
  readonly status: RunStatus;
  readonly error: string | undefined;
  readonly agents: number;
  readonly failedAgents: number;
  readonly wallMs: number;
  readonly usage: Usage;
}

export type NoteTone = "info" | "ok" | "warn" | "error";

/** One entry of the scrollback: written once above the live area and never redrawn. */
export type FeedItem =
  | { readonly kind: "parent_text"; readonly key: string; readonly text: string }
  | { readonly kind: "parent_tool"; readonly key: string; readonly summary: string }
  | { readonly kind: "agent"; readonly key: string; readonly agent: FinishedAgent }
  | { readonly kind: "log"; readonly key: string; readonly workflowId: string; readonly message: string }
  | { readonly kind: "note"; readonly key: string; readonly tone: NoteTone; readonly text: string }
  | { readonly kind: "summary"; readonly key: string; readonly summary: FinishedRun }
  | { readonly kind: "report"; readonly key: string; readonly markdown: string };

export interface ParentView {
  readonly active: boolean;
  readonly tail: string;
  readonly pending: string;
  readonly thinking: boolean;
  readonly tool: string | undefined;
  readonly retry: string | undefined;
}

export interface WorkflowView {
  readonly id: string;
  readonly name: string;
  readonly startedAt: number;
  readonly done: number;
  readonly failed: number;
  /** Sub-agents waiting for a slot: queued and not yet started. */
  readonly queued: readonly string[];
}

export interface RunViewState {
  readonly run: { readonly runId: string; readonly task: string; readonly model: string; readonly startedAt: number } | undefined;
  readonly endedAt: number | undefined;
  readonly usage: Usage;
  readonly parent: ParentView;
  /** The workflow running now. */
  readonly workflow: WorkflowView | undefined;
  /** Running sub-agents by id. */
  readonly agents: Readonly<Record<string, AgentView>>;
  /** Ids of running sub-agents, in the order they started. */
  readonly running: readonly string[];
  readonly feed: readonly FeedItem[];
  /** Workflow names by id, for the lines that only carry the id. */
  readonly workflowNames: Readonly<Record<string, string>>;
  /** The person stopped the run at approval. */
  readonly stopped: boolean;
  /** Set while no new sub-agent starts (the `p` key, --budget, a usage limit). */
  readonly paused: { readonly cause: PauseCause; readonly reason: string } | undefined;
}

export function initialRunViewState(): RunViewState {
  return {
    run: undefined,
    endedAt: undefined,
    usage: emptyUsage(),
    parent: { active: false, tail: "", pending: "", thinking: false, tool: undefined, retry: undefined },
    workflow: undefined,
    agents: {},
    running: [],
    feed: [],
    workflowNames: {},
    stopped: false,
    paused: undefined,
  };
}

/** Adds a delta to a stream's visible end, made safe to draw. */
function appendTail(stream: { readonly tail: string; readonly pending: string }, delta: string): { tail: string; pending: string } {
  const [ready, pending] = splitIncompleteEscape(stream.pending + delta);
  const next = stream.tail + displayText(ready);
  return { tail: next.length > TAIL_CHARS ? next.slice(-TAIL_CHARS) : next, pending };
}

function pushFeed(state: RunViewState, item: DistributiveOmit<FeedItem, "key">): RunViewState {
  return { ...state, feed: [...state.feed, { ...item, key: `f${state.feed.length}` } as FeedItem] };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function note(state: RunViewState, tone: NoteTone, text: string): RunViewState {
  return pushFeed(state, { kind: "note", tone, text: displayText(text) });
}

/** Moves the parent's streamed text into the scrollback (it is not the report: a tool call follows). */
function commitParentText(state: RunViewState): RunViewState {
  const text = state.parent.tail.trim();
  const cleared = { ...state, parent: { ...state.parent, tail: "", pending: "", thinking: false } };
  return text === "" ? cleared : pushFeed(cleared, { kind: "parent_text", text });
}

function updateAgent(state: RunViewState, id: string, change: (agent: AgentView) => AgentView): RunViewState {
  const agent = state.agents[id];
  if (agent === undefined) return state;
  return { ...state, agents: { ...state.agents, [id]: change(agent) } };
}

const workflowLabel = (state: RunViewState, id: string) => {
  const name = state.workflowNames[id];
  return name === undefined ? id : `${id} ${name}`;
};

/** Applies one event. Unknown agent ids are ignored, so a late event after the end changes nothing. */
export function reduceRunView(state: RunViewState, event: RunEvent): RunViewState {
  switch (event.type) {
    case "run_start":
      return { ...state, run: { runId: event.runId, task: displayText(event.task), model: displayText(event.model), startedAt: event.time } };
    case "run_end": {
      // Agents still running were stopped with the run; their own ends may come after this event,
      // and the summary must stay the last word.
      const stranded = state.running.map((id) => state.agents[id]).filter((agent): agent is AgentView => agent !== undefined);
      const folded = stranded.reduce<RunViewState>(
        (next, agent) =>
          pushFeed(next, {
            kind: "agent",
            agent: { id: agent.id, agentType: agent.agentType, description: agent.description, ok: false, error: "stopped with the run", durationMs: event.time - agent.startedAt, usage: agent.usage },
          }),
        { ...state, agents: {}, running: [] },
      );
      const summary: FinishedRun = {
        runId: event.runId,
        status: event.status,
        error: event.error === undefined ? undefined : displayText(event.error),
        agents: event.agents,
        failedAgents: event.failedAgents,
        wallMs: state.run === undefined ? 0 : event.time - state.run.startedAt,
        usage: event.usage,
      };
      return pushFeed({ ...folded, endedAt: event.time, usage: event.usage, parent: { ...state.parent, active: false } }, { kind: "summary", summary });
    }
    case "agent_start":
      if (event.role === "parent") return { ...state, parent: { ...state.parent, active: true } };
      return {
        ...state,
        workflow: state.workflow === undefined ? undefined : { ...state.workflow, queued: state.workflow.queued.filter((id) => id !== event.agentId) },
        agents: {
          ...state.agents,
          [event.agentId]: {
            id: event.agentId,
            agentType: displayText(event.agentType),
            // A Claude Code–format script's phase groups its panes: the title leads the label.
            description: displayText(event.phase !== undefined ? `${event.phase} › ${event.description}` : event.description),
            model: displayText(event.model),
            startedAt: event.time,
            usage: emptyUsage(),
            tool: undefined,
            toolCalls: 0,
            tail: "",
            pending: "",
            thinking: false,
            retry: undefined,
          },
        },
        running: [...state.running, event.agentId],
      };
    case "agent_text":
    case "agent_thinking": {
      const thinking = event.type === "agent_thinking";
      const empty = { tail: "", pending: "" };
      if (event.agentId === "parent") {
        // Reasoning is shown only until the answer starts, so it never mixes into the answer.
        if (thinking && state.parent.tail !== "" && !state.parent.thinking) return state;
        const stream = appendTail(thinking === state.parent.thinking ? state.parent : empty, event.delta);
        return { ...state, parent: { ...state.parent, ...stream, thinking, retry: undefined } };
      }
      return updateAgent(state, event.agentId, (agent) => {
        if (thinking && agent.tail !== "" && !agent.thinking) return agent;
        const stream = appendTail(thinking === agent.thinking ? agent : empty, event.delta);
        return { ...agent, ...stream, thinking, retry: undefined };
      });
    }
    case "agent_end": {
      if (event.agentId === "parent") {
        // A successful parent's last text is the report, which the end of the run shows in full.
        const next = event.ok ? { ...state, parent: { ...state.parent, tail: "", pending: "" } } : commitParentText(state);
        const ended = { ...next, parent: { ...next.parent, active: false, tool: undefined, retry: undefined } };
        // After a stop at approval the parent's "cancelled" says nothing the person does not know.
        return event.ok || state.stopped ? ended : note(ended, "error", `the parent agent stopped: ${event.error ?? "unknown error"}`);
      }
      const agent = state.agents[event.agentId];
      const w = state.workflow;
      // A queued sub-agent can end without ever starting (refused by --budget, cancelled): it
      // leaves the queue and counts as failed, but never had a pane.
      if (agent === undefined) {
        if (w === undefined || !w.queued.includes(event.agentId)) return state;
        return { ...state, workflow: { ...w, queued: w.queued.filter((id) => id !== event.agentId), failed: w.failed + (event.ok ? 0 : 1) } };
      }
      const { [event.agentId]: _finished, ...rest } = state.agents;
      const workflow = w === undefined ? undefined : { ...w, done: w.done + (event.ok ? 1 : 0), failed: w.failed + (event.ok ? 0 : 1) };
      const finished: FinishedAgent = {
        id: agent.id,
        agentType: agent.agentType,
        description: agent.description,
        ok: event.ok,
        error: event.error === undefined ? undefined : displayText(event.error),
        durationMs: event.durationMs,
        usage: event.usage,
      };
      return pushFeed({ ...state, agents: rest, running: state.running.filter((id) => id !== event.agentId), workflow }, { kind: "agent", agent: finished });
    }
    case "tool_start":
      if (event.agentId === "parent") {
        const committed = commitParentText(state);
        return pushFeed({ ...committed, parent: { ...committed.parent, tool: displayText(event.summary) } }, { kind: "parent_tool", summary: displayText(event.summary) });
      }
      return updateAgent(state, event.agentId, (agent) => ({
        ...agent,
        tool: { summary: displayText(event.summary), running: true, ok: true },
        toolCalls: agent.toolCalls + 1,
      }));
    case "tool_end":
      if (event.agentId === "parent") return { ...state, parent: { ...state.parent, tool: undefined } };
      return updateAgent(state, event.agentId, (agent) => (agent.tool === undefined ? agent : { ...agent, tool: { ...agent.tool, running: false, ok: event.ok } }));
    case "model_retry": {
      const text = `retry ${event.attempt + 1} in ${formatDuration(event.delayMs, "measured")}: ${displayText(event.reason)}`;
      if (event.agentId === "parent") return note({ ...state, parent: { ...state.parent, retry: text } }, "warn", `parent: ${text}`);
      return updateAgent(state, event.agentId, (agent) => ({ ...agent, retry: text }));
    }
    case "usage": {
      const next = { ...state, usage: addUsage(state.usage, event.usage) };
      return updateAgent(next, event.agentId, (agent) => ({ ...agent, usage: addUsage(agent.usage, event.usage) }));
    }
    case "workflow_proposed":
      return { ...state, workflowNames: { ...state.workflowNames, [event.workflowId]: displayText(event.name) } };
    case "workflow_invalid": {
      const first = event.diagnostics[0] ?? "";
      const more = event.diagnostics.length > 1 ? ` (+${event.diagnostics.length - 1} more)` : "";
      return note(state, "warn", `workflow ${workflowLabel(state, event.workflowId)} is invalid and went back to the parent: ${first}${more}`);
    }
    case "workflow_decision": {
      const label = workflowLabel(state, event.workflowId);
      switch (event.decision) {
        case "approve":
          return note(state, "ok", `approved workflow ${label}`);
        case "reject":
          return note(state, "warn", `rejected workflow ${label}: ${event.reason ?? ""}`);
        case "stop":
          return note({ ...state, stopped: true }, "error", `stopped at workflow ${label}${event.reason ? `: ${event.reason}` : ""}`);
        default: {
          const unreachable: never = event.decision;
          return unreachable;
        }
      }
    }
    case "workflow_start":
      return { ...state, workflow: { id: event.workflowId, name: displayText(event.name), startedAt: event.time, done: 0, failed: 0, queued: [] } };
    case "agent_queued":
      return state.workflow === undefined ? state : { ...state, workflow: { ...state.workflow, queued: [...state.workflow.queued, event.agentId] } };
    case "workflow_log":
      return pushFeed(state, { kind: "log", workflowId: event.workflowId, message: displayText(event.message) });
    case "workflow_phase":
      return note(state, "info", `phase: ${displayText(event.title)}`);
    case "workflow_end": {
      const w = state.workflow;
      const counts = w === undefined ? "" : ` · ${w.done + w.failed + state.running.length} agents${w.failed > 0 ? ` (${w.failed} failed)` : ""}`;
      const text = `workflow ${workflowLabel(state, event.workflowId)} ${event.ok ? "finished" : "failed"} in ${formatDuration(event.durationMs, "measured")}${counts}${event.error ? `: ${event.error}` : ""}`;
      return note({ ...state, workflow: undefined }, event.ok ? "ok" : "error", text);
    }
    case "warning":
      return note(state, "warn", event.message);
    case "workflow_estimate":
      return note(state, event.overThreshold === undefined ? "info" : "warn", `workflow ${workflowLabel(state, event.workflowId)}: ${displayText(event.estimate.summary)}`);
    case "run_paused":
      return note({ ...state, paused: { cause: event.cause, reason: displayText(event.reason) } }, "warn", `paused: ${event.reason}`);
    case "run_resumed":
      return note({ ...state, paused: undefined }, "ok", `resumed: ${event.reason}`);
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

/** Adds the report after the summary, once the run has ended. */
export function withReport(state: RunViewState, markdown: string): RunViewState {
  return markdown.trim() === "" ? state : pushFeed(state, { kind: "report", markdown });
}
