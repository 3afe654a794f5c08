// The approval screen: the workflow's code (or its diff against the rejected version), a summary
// line, the validator's findings, and the keys. It fits the height it is given: code taller than
// that scrolls, so the screen never grows past the terminal.
import { useEffect, useMemo, useRef, useState } from "react";
import { Box, Text, useInput } from "ink";
import type { ApprovalActions } from "./approval-actions.js";
import { applyKeys, type ApprovalMode, type KeyEffect, type ScrollMove } from "./approval-keys.js";
import { CodeView } from "./code-view.js";
import { codeRows, diffRows } from "./code-rows.js";
import { escapeForDisplay } from "../text/safe-text.js";
import { diffLines, diffStats } from "./line-diff.js";
import { TextPrompt } from "./text-prompt.js";
import type { ApprovalSession } from "./ui-store.js";
import { defaultSavePath, workflowSummary } from "./workflow-summary.js";
import { KeyHints, type KeyHint } from "./key-hints.js";

export interface ApprovalScreenProps {
  readonly session: ApprovalSession;
  readonly actions: ApprovalActions;
  readonly sandboxMode: string;
  readonly width: number;
  /** Rows the screen may take; the code scrolls inside them. */
  readonly height: number;
  /** False while another screen owns the keyboard. */
  readonly isActive?: boolean;
  /** Approve keys are ignored this long after the proposal is shown (see below). */
  readonly armDelayMs?: number;
  readonly now?: () => number;
}

const MAX_MESSAGE_LINES = 2;

export function ApprovalScreen({ session, actions, sandboxMode, width, height, isActive = true, armDelayMs = 300, now = Date.now }: ApprovalScreenProps) {
  const { proposal } = session;
  // With a previous version there is something to compare with: the rejected workflow, or, once
  // edited, the parent's proposal.
  const base = session.edited ? proposal.code : session.previous?.code;
  const [showDiff, setShowDiff] = useState(session.previous !== undefined && !session.edited);
  const [mode, setModeState] = useState<ApprovalMode>({ kind: "keys" });
  // The key handler reads the mode from this ref, never from the last render: keys can arrive
  // faster than React re-renders, and each must see what the one before it did.
  const modeRef = useRef(mode);
  const setMode = (next: ApprovalMode) => {
    modeRef.current = next;
    setModeState(next);
  };
  const [offset, setOffset] = useState(0);

  const diffing = showDiff && base !== undefined;
  const view = useMemo(
    () => (diffing && base !== undefined ? diffRows(base, session.code, width) : codeRows(session.code, width)),
    [diffing, base, session.code, width],
  );
  const stats = useMemo(() => (base === undefined ? undefined : diffStats(diffLines(base, session.code))), [base, session.code]);

  // The projected size and cost, on its own line: yellow when it is past --confirm-over.
  const estimateLine = proposal.estimate === undefined ? undefined : escapeForDisplay(proposal.estimate.summary);
  const messages = [
    ...session.problems.map((text) => ({ color: "red", text: `error ${text}` })),
    ...session.warnings.map((text) => ({ color: "yellow", text: `warning ${text}` })),
    ...(session.notice ? [{ color: session.notice.tone === "ok" ? "green" : "red", text: session.notice.text }] : []),
  ];
  const messageLines = Math.min(MAX_MESSAGE_LINES, messages.length);
  const codeHeight = Math.max(3, Math.min(view.rows.length, height - 3 - messageLines - (estimateLine === undefined ? 0 : 1)));
  const maxOffset = Math.max(0, view.rows.length - codeHeight);
  const clamped = Math.min(offset, maxOffset);

  // A new version of the code (an edit) or a switch between code and diff starts at the top of
  // what matters: the first change of a diff, with two rows of context.
  useEffect(() => {
    setOffset(diffing ? Math.max(0, view.firstChange - 2) : 0);
    // Only a new version or a switch moves the view; a resize keeps the person's place.
  }, [session.revision, diffing]);
  useEffect(() => {
    setShowDiff(session.previous !== undefined && !session.edited);
  }, [session.revision, session.previous, session.edited]);

  // Scrolls from the offset as it is now (a functional update), so keys in one burst add up.
  const scroll = (move: ScrollMove) => {
    const page = Math.max(1, codeHeight - 1);
    setOffset((previous) => {
      const from = Math.min(previous, maxOffset);
      switch (move) {
        case "line-up":
          return Math.max(0, from - 1);
        case "line-down":
          return Math.min(maxOffset, from + 1);
        case "page-up":
          return Math.max(0, from - page);
        case "page-down":
          return Math.min(maxOffset, from + page);
        case "top":
          return 0;
        case "bottom":
          return maxOffset;
      }
    });
  };

  const run = (effect: KeyEffect) => {
    switch (effect.type) {
      case "approve":
        // An Enter meant for what was on screen a moment ago (the reason prompt, a slow
        // terminal) must not approve a workflow the person has not seen yet.
        if (now() - session.shownAt >= armDelayMs) actions.approve();
        return;
      case "reject":
        actions.reject(effect.reason);
        return;
      case "stop":
        actions.stop();
        return;
      case "edit":
        actions.edit();
        return;
      case "save":
        void actions.save(effect.path, effect.overwrite).then((outcome) => {
          setMode(outcome === "exists" ? { kind: "save", text: effect.path, confirm: effect.path } : { kind: "keys" });
        });
        return;
      case "scroll":
        scroll(effect.move);
        return;
      case "toggle-diff":
        if (base !== undefined) setShowDiff((shown) => !shown);
        return;
      default: {
        const unreachable: never = effect;
        return unreachable;
      }
    }
  };

  useInput(
    (input, key) => {
      const step = applyKeys(modeRef.current, input, key, defaultSavePath(proposal.meta?.name ?? proposal.name));
      if (step.mode !== modeRef.current) setMode(step.mode);
      for (const effect of step.effects) run(effect);
    },
    { isActive },
  );

  const title = `Workflow ${proposal.workflowId} · ${escapeForDisplay(proposal.name)}`;
  const tag = session.edited
    ? `edited by you${stats ? ` (+${stats.added} −${stats.removed})` : ""}`
    : session.previous !== undefined
      ? `revises ${session.previous.workflowId}${stats ? ` (+${stats.added} −${stats.removed})` : ""}`
      : "";
  const position =
    view.rows.length > codeHeight ? `rows ${clamped + 1}–${Math.min(view.rows.length, clamped + codeHeight)} of ${view.rows.length}` : "";
  const shownMessages = messages.length > MAX_MESSAGE_LINES ? [...messages.slice(0, MAX_MESSAGE_LINES - 1), { color: "gray", text: `… ${messages.length - MAX_MESSAGE_LINES + 1} more` }] : messages;

  return (
    <Box flexDirection="column" width={width}>
      <Text wrap="truncate-end">
        <Text bold color="yellow">
          {title}
        </Text>
        {tag !== "" ? <Text color="magenta">{`  ${tag}`}</Text> : null}
        {diffing ? <Text color="magenta">{"  [diff]"}</Text> : null}
        {position !== "" ? <Text dimColor>{`  ${position}`}</Text> : null}
      </Text>
      <CodeView rows={view.rows} gutterWidth={view.gutterWidth} offset={clamped} height={codeHeight} width={width} />
      <Text dimColor wrap="truncate-end">
        {workflowSummary({ ...proposal, code: session.code }, sandboxMode)}
      </Text>
      {estimateLine !== undefined ? (
        <Text color={proposal.overThreshold !== undefined ? "yellow" : "cyan"} wrap="truncate-end">
          {estimateLine}
        </Text>
      ) : null}
      {shownMessages.map((message, i) => (
        <Text key={i} color={message.color} wrap="truncate-end">
          {message.text}
        </Text>
      ))}
      {mode.kind === "reject" ? (
        <TextPrompt label="Reason for the agent:" value={mode.text} hint="⏎ send · Esc back" width={width} />
      ) : mode.kind === "save" ? (
        <TextPrompt
          label={mode.confirm !== undefined ? "File exists; Enter overwrites:" : "Save to:"}
          value={mode.text}
          hint="⏎ save · Esc back"
          width={width}
        />
      ) : (
        <KeyHelp canDiff={base !== undefined} diffing={diffing} width={width} />
      )}
    </Box>
  );
}

function KeyHelp({ canDiff, diffing, width }: { readonly canDiff: boolean; readonly diffing: boolean; readonly width: number }) {
  const keys: KeyHint[] = [
    ["a/⏎", "approve"],
    ["r", "reject"],
    ["e", "edit"],
    ["s", "save"],
    ...(canDiff ? [["d", diffing ? "code" : "diff"] as const] : []),
    ["q", "stop run"],
  ];
  return <KeyHints keys={keys} after={width >= 80 ? <Text dimColor>{"   ↑↓ PgUp PgDn scroll"}</Text> : null} />;
}
