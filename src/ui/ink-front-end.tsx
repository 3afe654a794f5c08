// The live terminal UI as a front end of a run: an event listener, an approval port, and a finish
// that writes the summary and the report and gives the terminal back. The Ink app mounts on the
// first event, unmounts while an editor owns the terminal, and remounts after it without writing
// the scrollback twice.
import type { ReactElement } from "react";
import chalk from "chalk";
import { render, type Instance, type RenderOptions } from "ink";
import type { RunEvent } from "../events.js";
import type { ApprovalPort } from "../run/approval.js";
import type { BudgetLimit } from "../run/budget.js";
import type { PauseDecision, PauseInfo, RunControls } from "../run/run-control.js";
import type { ColorLevel } from "./color-level.js";
import { editInEditor } from "./external-editor.js";
import { createInkApproval, type EditOutcome, type SaveResult, type ValidationLike } from "./ink-approval-port.js";
import { RunApp } from "./run-app.js";
import { saveWorkflowFile } from "./save-workflow-file.js";
import { displayText } from "./format.js";
import { askOnTerminal } from "./terminal-question.js";
import { createUiStore } from "./ui-store.js";
import type { RunViewState } from "./run-view-state.js";

export interface InkFrontEndOptions {
  readonly stdin: NodeJS.ReadStream;
  /** The terminal the UI draws on: stdout, or stderr when stdout is piped. */
  readonly output: NodeJS.WriteStream;
  readonly colorLevel: ColorLevel;
  readonly sandboxMode: string;
  /** The server the person named for every model (shown in the header, its password hidden). */
  readonly server?: string;
  readonly cwd: string;
  /** Editor command for `e` ($VISUAL / $EDITOR). */
  readonly editor: string;
  /** Validates edited code the way the parent's code was validated. */
  readonly validate: (code: string) => Promise<ValidationLike>;
  /** Ctrl-C (raw mode turns it into a key). */
  readonly onInterrupt: () => void;
  /** Replaces the external editor (tests). */
  readonly editCode?: (code: string, name: string) => Promise<EditOutcome>;
  readonly saveCode?: (path: string, code: string, overwrite: boolean) => Promise<SaveResult>;
  /** Extra Ink options (tests pass fake streams' `debug`). */
  readonly renderOptions?: Pick<RenderOptions, "debug" | "stderr">;
  readonly now?: () => number;
}

export interface InkFrontEnd {
  readonly listener: (event: RunEvent) => void;
  readonly approval: ApprovalPort;
  /** Gives the live view's keys (p, x, r) the run's controls. */
  attachControls(controls: RunControls): void;
  /** Asks, on the run screen, how to go on after a budget or usage-limit pause. */
  pausePrompt(pause: PauseInfo, signal: AbortSignal): Promise<PauseDecision>;
  /** Asks a yes/no question on the run screen (a workflow past --confirm-over under --yes). */
  confirm(question: string, signal: AbortSignal): Promise<boolean>;
  /** Writes the report under the summary and unmounts; the terminal is the shell's again after it. */
  finish(report: string | undefined): Promise<void>;
  /** Asks a y/N question with the live view suspended (the first Ctrl-C with many sub-agents running). */
  confirmInterrupt(question: string, isYes: (answer: string) => boolean): Promise<boolean>;
}

/** Redraws at most this often: a key's effect is on screen within one frame. */
export const MAX_FPS = 15;
/**
 * Run events (streamed text above all) reach the screen at most this often. Every frame rebuilds
 * the whole live area cell by cell (Ink lays out, tokenizes and diffs all 200×50 cells of a large
 * terminal, whatever changed): about 5 ms of CPU for 18 panes on 200×50, plus the garbage of
 * some 10,000 cells. 8 a second still reads as live text and costs about half of 15 (issue 13,
 * benchmark 4).
 */
export const EVENT_FPS = 8;
/**
 * With this many sub-agents running, the grid is full and every pane changes on every frame:
 * events are drawn 4 times a second, which still reads as streaming text. Keys are not batched
 * (they redraw at up to MAX_FPS), so the screen answers them as fast as before.
 */
export const BUSY_AGENTS = 16;
export const BUSY_EVENT_FPS = 4;

/** Milliseconds between two batches of run events, for the view as it stands. */
export function eventBatchMs(view: Pick<RunViewState, "running">): number {
  return Math.round(1000 / (view.running.length >= BUSY_AGENTS ? BUSY_EVENT_FPS : EVENT_FPS));
}

export function createInkFrontEnd(options: InkFrontEndOptions): InkFrontEnd {
  const store = createUiStore({ batchMs: eventBatchMs });
  let instance: Instance | undefined;
  let written = 0;
  let finished = false;

  let element: ReactElement | undefined;
  const controls: { current: RunControls | undefined } = { current: undefined };

  /** Puts a question on screen until one of its keys answers it, or the run stops. */
  const ask = <T,>(text: string, choices: ReadonlyArray<{ key: string; label: string; value: T }>, fallback: T, signal: AbortSignal): Promise<T> =>
    new Promise<T>((resolve) => {
      if (signal.aborted) return resolve(fallback);
      mount();
      const done = (value: T) => {
        signal.removeEventListener("abort", onAbort);
        store.setQuestion(undefined);
        resolve(value);
      };
      const onAbort = () => done(fallback);
      signal.addEventListener("abort", onAbort, { once: true });
      store.setQuestion({
        // The question quotes a workflow's name or a server's error: shown, never obeyed.
        text: displayText(text),
        choices: choices.map(({ key, label }) => ({ key, label })),
        answer: (key) => {
          const choice = choices.find((c) => c.key === key);
          if (choice !== undefined) done(choice.value);
        },
      });
    });

  const mount = () => {
    if (instance !== undefined || finished) return;
    // Ink colors through chalk's shared instance, whose detection ignores NO_COLOR.
    chalk.level = options.colorLevel;
    element = (
      <RunApp
        store={store}
        actions={approval.actions}
        sandboxMode={options.sandboxMode}
        server={options.server}
        colorLevel={options.colorLevel}
        feedOffset={written}
        onInterrupt={options.onInterrupt}
        controls={controls}
        {...(options.now ? { now: options.now } : {})}
      />
    );
    instance = render(element, {
        stdout: options.output,
        stdin: options.stdin,
        exitOnCtrlC: false,
        patchConsole: true,
        maxFps: MAX_FPS,
        // Not Ink's incremental mode: in 6.8 its first frame after a full one starts a row too
        // low when the frame ends at the bottom of the screen, leaving a stale header behind.
        incrementalRendering: false,
        ...options.renderOptions,
      });
  };

  /** Unmounts (Ink flushes its last frame, empty while suspended, and leaves raw mode) and waits. */
  const unmount = async () => {
    const current = instance;
    instance = undefined;
    if (current === undefined) return;
    // React schedules the store's updates; rendering the same element again commits them now, so
    // the last frame (and every scrollback entry in the store) is drawn before the unmount.
    if (element !== undefined) current.rerender(element);
    written = store.getSnapshot().view.feed.length;
    current.unmount();
    await current.waitUntilExit();
  };

  const edit = options.editCode ?? ((code: string, name: string) => editInEditor(code, name, options.editor));
  const approval = createInkApproval({
    store,
    ...(options.now ? { now: options.now } : {}),
    validate: options.validate,
    saveCode: options.saveCode ?? ((path, code, overwrite) => saveWorkflowFile(options.cwd, path, code, overwrite)),
    async editCode(code, name) {
      store.setSuspended(true);
      await unmount();
      try {
        return await edit(code, name);
      } finally {
        store.setSuspended(false);
        mount();
      }
    },
  });

  return {
    listener(event) {
      mount();
      store.push(event);
    },
    attachControls(attached) {
      controls.current = attached;
    },
    pausePrompt(pause, signal) {
      const raised = raiseBudget(pause.budget);
      const choices: Array<{ key: string; label: string; value: PauseDecision }> = [
        ...(raised !== undefined ? [{ key: "+", label: `raise the budget to ${raised.shown} and go on`, value: { type: "continue", budget: raised.limit } as PauseDecision }] : []),
        ...(pause.cause === "usage_limit" ? [{ key: "c", label: "try again", value: { type: "continue" } as PauseDecision }] : []),
        { key: "s", label: "stop here (resumable; finished sub-agents are kept)", value: { type: "stop" } },
      ];
      return ask(`Paused: ${pause.reason}. Running sub-agents finish; no new one starts until you choose.`, choices, { type: "stop" } as PauseDecision, signal);
    },
    confirm(question, signal) {
      return ask(question, [{ key: "y", label: "run it", value: true }, { key: "n", label: "do not run it", value: false }], false, signal);
    },
    approval: {
      confirmsOverThreshold: true,
      ask(proposal, signal) {
        mount();
        return approval.port.ask(proposal, signal);
      },
    },
    async confirmInterrupt(question, isYes) {
      if (instance === undefined || finished) return true;
      store.setSuspended(true);
      await unmount();
      try {
        return await askOnTerminal(options.stdin, options.output, question, isYes);
      } finally {
        store.setSuspended(false);
        mount();
      }
    },
    async finish(report) {
      if (instance === undefined) {
        finished = true;
        store.dispose();
        return;
      }
      store.flush();
      if (report !== undefined) store.addReport(report);
      finished = true;
      await unmount();
      store.dispose();
    },
  };
}

/** The budget the `+` key offers: twice the current one. */
function raiseBudget(budget: BudgetLimit | undefined): { readonly limit: BudgetLimit; readonly shown: string } | undefined {
  if (budget === undefined) return undefined;
  const limit: BudgetLimit = { kind: budget.kind, amount: budget.amount * 2 };
  return { limit, shown: limit.kind === "usd" ? `$${limit.amount.toFixed(2)}` : `${limit.amount.toLocaleString("en-US")} tokens` };
}
