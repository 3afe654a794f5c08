// The live view's keys as one pure step (the approval screen's habit, approval-keys.ts): the state
// the view is in and one input event go in; the next state and what to do come out. The view keeps
// the state in a ref, so keys that arrive before a re-render see what the previous key left, and
// an action key counts only when it is the whole event: a paste must never stop or restart work.
import type { KeyFlags } from "./approval-keys.js";

export interface RunKeysState {
  /** The sub-agent the cursor is on; undefined before the first arrow or when none runs. */
  readonly selected: string | undefined;
  /** "stop the whole run? y/N" is on screen. */
  readonly confirmStop: boolean;
}

export type RunKeyEffect =
  | { readonly type: "toggle-pause" }
  | { readonly type: "stop-agent"; readonly agentId: string }
  | { readonly type: "restart-agent"; readonly agentId: string }
  | { readonly type: "stop-run" };

export interface RunKeyStep {
  readonly state: RunKeysState;
  readonly effects: readonly RunKeyEffect[];
}

export const INITIAL_RUN_KEYS: RunKeysState = { selected: undefined, confirmStop: false };

/** The sub-agent the cursor is on, while it is still there. */
export function currentSelection(state: RunKeysState, ids: readonly string[]): string | undefined {
  return state.selected !== undefined && ids.includes(state.selected) ? state.selected : undefined;
}

/** Moves the cursor; the first move (or one after its agent left) lands on the first pane. */
function move(state: RunKeysState, ids: readonly string[], by: number): RunKeysState {
  if (ids.length === 0) return state;
  const current = currentSelection(state, ids);
  if (current === undefined) return { ...state, selected: ids[0] };
  const next = Math.min(ids.length - 1, Math.max(0, ids.indexOf(current) + by));
  return { ...state, selected: ids[next] };
}

/** Applies one input event; `ids` are the selectable sub-agents in the order they are shown. */
export function applyRunKeys(state: RunKeysState, input: string, key: KeyFlags, ids: readonly string[]): RunKeyStep {
  if (key.upArrow) return { state: move(state, ids, -1), effects: [] };
  if (key.downArrow) return { state: move(state, ids, 1), effects: [] };
  if (key.ctrl || key.meta) return { state, effects: [] };
  const chars = Array.from(input);
  if (state.confirmStop) {
    // Only a lone "y" stops the run; anything else (Esc, n, a stray paste) keeps it going.
    const yes = chars.length === 1 && (chars[0] === "y" || chars[0] === "Y");
    return { state: { ...state, confirmStop: false }, effects: yes ? [{ type: "stop-run" }] : [] };
  }
  if (chars.length !== 1 || key.return || key.escape) {
    // A burst may still move the cursor (j/k typed fast), never act.
    let next = state;
    for (const char of chars) {
      if (char === "j") next = move(next, ids, 1);
      else if (char === "k") next = move(next, ids, -1);
    }
    return { state: next, effects: [] };
  }
  const selected = currentSelection(state, ids);
  switch (chars[0]) {
    case "j":
      return { state: move(state, ids, 1), effects: [] };
    case "k":
      return { state: move(state, ids, -1), effects: [] };
    case "p":
      return { state, effects: [{ type: "toggle-pause" }] };
    case "x":
      if (selected !== undefined) return { state, effects: [{ type: "stop-agent", agentId: selected }] };
      // Nothing under the cursor yet: x places it on the first pane, and a second x stops that one.
      return ids.length > 0 ? { state: move(state, ids, 0), effects: [] } : { state: { ...state, confirmStop: true }, effects: [] };
    case "X":
      return { state: { ...state, confirmStop: true }, effects: [] };
    case "r":
      return selected === undefined ? { state: move(state, ids, 0), effects: [] } : { state, effects: [{ type: "restart-agent", agentId: selected }] };
    default:
      return { state, effects: [] };
  }
}
