// The one place the Ink app reads from: the reduced view of the run's events, the approval being
// asked, and whether an editor owns the terminal. Events are queued and reduced in batches (8
// times a second in the live UI), so 64 agents streaming tokens cause 8 renders a second, not thousands.
import type { RunEvent } from "../events.js";
import type { WorkflowProposal } from "../run/approval.js";
import { initialRunViewState, reduceRunView, withReport, type RunViewState } from "./run-view-state.js";

/** The approval the person is looking at. */
export interface ApprovalSession {
  readonly proposal: WorkflowProposal;
  /** The code that runs if approved now: the proposal's, or the person's edit of it. */
  readonly code: string;
  readonly edited: boolean;
  /** The rejected workflow this one revises; the screen opens on the diff against it. */
  readonly previous: { readonly workflowId: string; readonly code: string } | undefined;
  readonly warnings: readonly string[];
  /** Validation errors of edited code; while there are any it cannot be approved. */
  readonly problems: readonly string[];
  /** A one-line message about the last action ("saved to …"). */
  readonly notice: { readonly tone: "ok" | "error"; readonly text: string } | undefined;
  /** Bumped on each change of `code`, so the screen resets its scroll. */
  readonly revision: number;
  /** When the proposal was put on screen (approve keys wait a moment after it). */
  readonly shownAt: number;
  /** A proposal past --confirm-over: the first approve arms, the second runs it. */
  readonly overArmed?: boolean;
}

/** A question that stops the run until the person answers with one key (a budget pause). */
export interface QuestionSession {
  readonly text: string;
  readonly choices: ReadonlyArray<{ readonly key: string; readonly label: string }>;
  /** Called with the chosen key. */
  readonly answer: (key: string) => void;
}

export interface UiSnapshot {
  readonly view: RunViewState;
  /** Asked above everything else while set. */
  readonly question?: QuestionSession;
  readonly approval: ApprovalSession | undefined;
  /** True while an external editor owns the terminal. */
  readonly suspended: boolean;
}

export interface UiStore {
  /** Queues an event; it is reduced at the next batch. */
  push(event: RunEvent): void;
  /** Reduces the queued events now. */
  flush(): void;
  getSnapshot(): UiSnapshot;
  subscribe(listener: () => void): () => void;
  setApproval(session: ApprovalSession | undefined): void;
  setQuestion(question: QuestionSession | undefined): void;
  setSuspended(suspended: boolean): void;
  addReport(markdown: string): void;
  dispose(): void;
}

export interface UiStoreOptions {
  /** Milliseconds between batches, or a choice by the view as it stands when a batch starts. */
  readonly batchMs?: number | ((view: RunViewState) => number);
  readonly setTimer?: (run: () => void, ms: number) => unknown;
  readonly clearTimer?: (timer: unknown) => void;
}

export const DEFAULT_BATCH_MS = 66;

/**
 * Joins each agent's streamed deltas within a batch into one event, so a batch costs the reducer
 * one update per streaming agent instead of one per token. A delta joins the agent's last text
 * event only while nothing else happened to that agent in between (order per agent is kept), and
 * any event not tied to an agent closes every join (order around run and workflow events is kept).
 */
export function coalesceDeltas(events: readonly RunEvent[]): RunEvent[] {
  const out: RunEvent[] = [];
  const open = new Map<string, number>();
  for (const event of events) {
    if (event.type === "agent_text" || event.type === "agent_thinking") {
      const at = open.get(event.agentId);
      const previous = at === undefined ? undefined : out[at];
      if (previous !== undefined && previous.type === event.type) {
        out[at as number] = { ...previous, delta: previous.delta + event.delta };
        continue;
      }
      open.set(event.agentId, out.length);
      out.push(event);
      continue;
    }
    if ("agentId" in event) open.delete(event.agentId);
    else open.clear();
    out.push(event);
  }
  return out;
}

export function createUiStore(options: UiStoreOptions = {}): UiStore {
  const batchMs = options.batchMs ?? DEFAULT_BATCH_MS;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  let snapshot: UiSnapshot = { view: initialRunViewState(), approval: undefined, suspended: false };
  let queue: RunEvent[] = [];
  let timer: unknown;
  const listeners = new Set<() => void>();

  const notify = () => {
    for (const listener of listeners) listener();
  };
  const set = (next: UiSnapshot) => {
    snapshot = next;
    notify();
  };
  const flush = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
    if (queue.length === 0) return;
    const events = queue;
    queue = [];
    set({ ...snapshot, view: coalesceDeltas(events).reduce(reduceRunView, snapshot.view) });
  };

  return {
    push(event) {
      queue.push(event);
      // While an editor owns the terminal nothing may draw; the queue waits for it to close.
      if (timer === undefined && !snapshot.suspended) timer = setTimer(flush, typeof batchMs === "number" ? batchMs : batchMs(snapshot.view));
    },
    flush,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setApproval(session) {
      flush();
      set({ ...snapshot, approval: session });
    },
    setQuestion(question) {
      flush();
      set({ ...snapshot, question });
    },
    setSuspended(suspended) {
      if (suspended === snapshot.suspended) return;
      if (suspended && timer !== undefined) {
        clearTimer(timer);
        timer = undefined;
      }
      set({ ...snapshot, suspended });
      if (!suspended) flush();
    },
    addReport(markdown) {
      flush();
      set({ ...snapshot, view: withReport(snapshot.view, markdown) });
    },
    dispose() {
      if (timer !== undefined) clearTimer(timer);
      timer = undefined;
      listeners.clear();
    },
  };
}
