// The Ink app of a run: the scrollback (<Static>) and, below it, a live area that always fits the
// terminal: the header, then the approval screen, the running workflow or the parent at work.
import { useMemo, type ReactNode } from "react";
import { Box, Static, useInput } from "ink";
import type { ApprovalActions } from "./approval-actions.js";
import { ApprovalScreen } from "./approval-screen.js";
import type { ColorLevel } from "./color-level.js";
import { FeedLine } from "./feed-line.js";
import { Header } from "./header.js";
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
}

/** Ink's full-screen threshold: a frame as tall as the terminal is redrawn by clearing the screen. */
const SPARE_ROWS = 1;

export function RunApp({ store, actions, sandboxMode, server, colorLevel, feedOffset = 0, onInterrupt, now = Date.now, size }: RunAppProps) {
  const { view, approval, suspended } = useUiStore(store);
  const { columns, rows } = useTerminalSize(size);
  const ticking = view.run !== undefined && view.endedAt === undefined && !suspended;
  const time = useClock(now, ticking);
  const feed = useMemo(() => (feedOffset > 0 ? view.feed.slice(feedOffset) : view.feed), [view.feed, feedOffset]);

  useInput(
    (input, key) => {
      if (key.ctrl && input === "c") onInterrupt();
    },
    { isActive: !suspended },
  );

  const width = Math.max(20, columns);
  const body = Math.max(4, rows - SPARE_ROWS - 1);
  let live: ReactNode = null;
  if (!suspended && view.endedAt === undefined) {
    let phase: ReactNode = null;
    if (approval !== undefined) {
      phase = (
        <ApprovalScreen key={approval.proposal.workflowId} session={approval} actions={actions} sandboxMode={sandboxMode} width={width} height={body} now={now} />
      );
    } else if (view.workflow !== undefined) {
      phase = <RunPhase workflow={view.workflow} view={view} now={time} width={width} height={body} />;
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
