// The Ink app of a run: the scrollback (<Static>) and, below it, a live area that always fits the
// terminal: the header, then the approval screen, the running workflow or the parent at work.
import { useMemo, useRef, useState, type ReactNode } from "react";
import { Box, Static, useInput } from "ink";
import type { ApprovalActions } from "./approval-actions.js";
import { ApprovalScreen } from "./approval-screen.js";
import type { ColorLevel } from "./color-level.js";
import { FeedLine } from "./feed-line.js";
import { Header } from "./header.js";
import type { RunControls } from "../run/run-control.js";
import { QuestionLine } from "./question-line.js";
import { applyRunKeys, currentSelection, INITIAL_RUN_KEYS, type RunKeyEffect, type RunKeysState } from "./run-keys.js";
import { RunKeysLine } from "./run-keys-line.js";
import { ParentPhase } from "./parent-phase.js";
import { RunPhase } from "./run-phase.js";
import type { UiStore } from "./ui-store.js";
import { useClock } from "./use-clock.js";
import { useTerminalSize, type TerminalSize } from "./use-terminal-size.js";
import { useUiStore } from "./use-ui-store.js";

export interface RunAppProps {
  readonly store: UiStore;
  readonly actions: ApprovalActions;
  readonly sandboxMode: string;
  /** The server the person named for every model, for the header. */
  readonly server?: string;
  readonly colorLevel: ColorLevel;
  /** Scrollback entries an earlier mount already wrote (the app is remounted after an editor). */
  readonly feedOffset?: number;
  /** Ctrl-C: the terminal is in raw mode, so it arrives as a key, not as SIGINT. */
  readonly onInterrupt: () => void;
  readonly now?: () => number;
  /** Fixed size instead of the terminal's (tests). */
  readonly size?: TerminalSize;
  /** The run's controls once it has started (p, x, r in the live view); read when a key arrives. */
  readonly controls?: { readonly current: RunControls | undefined };
}

/** Ink's full-screen threshold: a frame as tall as the terminal is redrawn by clearing the screen. */
const SPARE_ROWS = 1;

export function RunApp({ store, actions, sandboxMode, server, colorLevel, feedOffset = 0, onInterrupt, now = Date.now, size, controls }: RunAppProps) {
  const { view, approval, suspended, question } = useUiStore(store);
  // The keys' state lives in a ref so a key sees what the one before it did, however fast they come.
  const [keys, setKeysState] = useState<RunKeysState>(INITIAL_RUN_KEYS);
  const keysRef = useRef(keys);
  const setKeys = (next: RunKeysState) => {
    keysRef.current = next;
    setKeysState(next);
  };
  const runEffect = (effect: RunKeyEffect) => {
    const port = controls?.current;
    if (port === undefined) return;
    switch (effect.type) {
      case "toggle-pause":
        port.togglePause();
        return;
      case "stop-agent":
        port.stopAgent(effect.agentId);
        return;
      case "restart-agent":
        port.restartAgent(effect.agentId);
        return;
      case "stop-run":
        port.stopRun();
        return;
      default: {
        const unreachable: never = effect;
        return unreachable;
      }
    }
  };
  const { columns, rows } = useTerminalSize(size);
  const ticking = view.run !== undefined && view.endedAt === undefined && !suspended;
  const time = useClock(now, ticking);
  const feed = useMemo(() => (feedOffset > 0 ? view.feed.slice(feedOffset) : view.feed), [view.feed, feedOffset]);

  useInput(
    (input, key) => {
      if (key.ctrl && input === "c") {
        onInterrupt();
        return;
      }
      // A question answers to one key pressed alone; a paste answers nothing.
      if (question !== undefined) {
        const choice = question.choices.find((c) => c.key === input);
        if (choice !== undefined) question.answer(choice.key);
        return;
      }
      if (approval !== undefined || view.workflow === undefined || controls?.current === undefined) return;
      const step = applyRunKeys(keysRef.current, input, key, view.running);
      if (step.state !== keysRef.current) setKeys(step.state);
      for (const effect of step.effects) runEffect(effect);
    },
    { isActive: !suspended },
  );

  const width = Math.max(20, columns);
  const body = Math.max(4, rows - SPARE_ROWS - 1);
  let live: ReactNode = null;
  if (!suspended && view.endedAt === undefined) {
    let phase: ReactNode = null;
    if (question !== undefined) {
      phase = <QuestionLine question={question} width={width} />;
    } else if (approval !== undefined) {
      phase = (
        <ApprovalScreen key={approval.proposal.workflowId} session={approval} actions={actions} sandboxMode={sandboxMode} width={width} height={body} now={now} />
      );
    } else if (view.workflow !== undefined) {
      const interactive = controls?.current !== undefined;
      const selected = interactive ? currentSelection(keys, view.running) : undefined;
      phase = (
        <>
          <RunPhase workflow={view.workflow} view={view} now={time} width={width} height={interactive ? body - 1 : body} selected={selected} />
          {interactive ? <RunKeysLine paused={view.paused} confirmStop={keys.confirmStop} selected={selected} width={width} /> : null}
        </>
      );
    } else if (view.parent.active) {
      phase = <ParentPhase parent={view.parent} width={width} textLines={Math.min(4, body - 1)} />;
    }
    live = view.run === undefined && phase === null ? null : (
      <Box flexDirection="column" width={width}>
        <Header view={view} now={time} width={width} server={server} sandbox={sandboxMode} />
        {phase}
      </Box>
    );
  }

  return (
    <>
      <Static items={[...feed]}>{(item) => <FeedLine key={item.key} item={item} width={width} colorLevel={colorLevel} />}</Static>
      {live}
    </>
  );
}
