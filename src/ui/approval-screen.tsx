// The approval screen: the workflow's code (or its diff against the rejected version), a summary
// line, the validator's findings, and the keys. It fits the height it is given: code taller than
// that scrolls, so the screen never grows past the terminal.
import { useEffect, useMemo, useState } from "react";
import { Box, Text, useInput } from "ink";
import type { ApprovalActions } from "./approval-actions.js";
import { CodeView } from "./code-view.js";
import { codeRows, diffRows } from "./code-rows.js";
import { escapeForDisplay } from "../text/safe-text.js";
import { diffLines, diffStats } from "./line-diff.js";
import { TextPrompt } from "./text-prompt.js";
import type { ApprovalSession } from "./ui-store.js";
import { defaultSavePath, workflowSummary } from "./workflow-summary.js";

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

type Mode = { readonly kind: "keys" } | { readonly kind: "reject"; readonly text: string } | { readonly kind: "save"; readonly text: string; readonly confirm: string | undefined };

const MAX_MESSAGE_LINES = 2;

/** Applies a key to a one-line text field; undefined when the key is not for the field. */
function editText(text: string, input: string, key: { backspace: boolean; delete: boolean; ctrl: boolean; meta: boolean }): string | undefined {
  if (key.backspace || key.delete) return text.slice(0, -1);
  if (key.ctrl && input === "u") return "";
  if (key.ctrl || key.meta || input === "") return undefined;
  // Keys typed faster than they are read arrive as one string: a Ctrl-U in it clears what came before.
  const clear = input.lastIndexOf("\x15");
  const base = clear >= 0 ? "" : text;
  const typed = clear >= 0 ? input.slice(clear + 1) : input;
  // A paste's line breaks become spaces, other control characters go.
  // eslint-disable-next-line no-control-regex
  return base + typed.replace(/\r?\n|\r/g, " ").replace(/[\x00-\x1f\x7f]/g, "");
}

export function ApprovalScreen({ session, actions, sandboxMode, width, height, isActive = true, armDelayMs = 300, now = Date.now }: ApprovalScreenProps) {
  const { proposal } = session;
  // With a previous version there is something to compare with: the rejected workflow, or, once
  // edited, the parent's proposal.
  const base = session.edited ? proposal.code : session.previous?.code;
  const [showDiff, setShowDiff] = useState(session.previous !== undefined && !session.edited);
  const [mode, setMode] = useState<Mode>({ kind: "keys" });
  const [offset, setOffset] = useState(0);

  const diffing = showDiff && base !== undefined;
  const view = useMemo(
    () => (diffing && base !== undefined ? diffRows(base, session.code, width) : codeRows(session.code, width)),
    [diffing, base, session.code, width],
  );
  const stats = useMemo(() => (base === undefined ? undefined : diffStats(diffLines(base, session.code))), [base, session.code]);

  const messages = [
    ...session.problems.map((text) => ({ color: "red", text: `error ${text}` })),
    ...session.warnings.map((text) => ({ color: "yellow", text: `warning ${text}` })),
    ...(session.notice ? [{ color: session.notice.tone === "ok" ? "green" : "red", text: session.notice.text }] : []),
  ];
  const messageLines = Math.min(MAX_MESSAGE_LINES, messages.length);
  const codeHeight = Math.max(3, Math.min(view.rows.length, height - 3 - messageLines));
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

  useInput(
    (input, key) => {
      if (mode.kind === "keys") {
        const page = Math.max(1, codeHeight - 1);
        if (key.upArrow || input === "k") setOffset(Math.max(0, clamped - 1));
        else if (key.downArrow || input === "j") setOffset(Math.min(maxOffset, clamped + 1));
        else if (key.pageUp) setOffset(Math.max(0, clamped - page));
        else if (key.pageDown || input === " ") setOffset(Math.min(maxOffset, clamped + page));
        else if (key.home || input === "g") setOffset(0);
        else if (key.end || input === "G") setOffset(maxOffset);
        else if (input === "a" || key.return) {
          // An Enter meant for what was on screen a moment ago (the reason prompt, a slow
          // terminal) must not approve a workflow the person has not seen yet.
          if (now() - session.shownAt >= armDelayMs) actions.approve();
        }
        else if (input === "r") setMode({ kind: "reject", text: "" });
        else if (input === "e") actions.edit();
        else if (input === "s") setMode({ kind: "save", text: defaultSavePath(proposal.name), confirm: undefined });
        else if (input === "d" && base !== undefined) setShowDiff((shown) => !shown);
        else if (input === "q") actions.stop();
        return;
      }
      if (key.escape) {
        setMode({ kind: "keys" });
        return;
      }
      if (key.return) {
        if (mode.kind === "reject") {
          actions.reject(mode.text.trim());
          setMode({ kind: "keys" });
          return;
        }
        const path = mode.text.trim();
        if (path === "") return;
        void actions.save(path, mode.confirm === path).then((outcome) => {
          if (outcome === "exists") setMode({ kind: "save", text: path, confirm: path });
          else setMode({ kind: "keys" });
        });
        return;
      }
      const text = editText(mode.text, input, key);
      if (text !== undefined) setMode(mode.kind === "reject" ? { kind: "reject", text } : { kind: "save", text, confirm: undefined });
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
  const keys: Array<[string, string]> = [
    ["a/⏎", "approve"],
    ["r", "reject"],
    ["e", "edit"],
    ["s", "save"],
    ...(canDiff ? [["d", diffing ? "code" : "diff"] as [string, string]] : []),
    ["q", "stop run"],
  ];
  return (
    <Text wrap="truncate-end">
      {keys.map(([key, label], i) => (
        <Text key={key}>
          {i > 0 ? "  " : ""}
          <Text bold color="cyan">
            {key}
          </Text>{" "}
          {label}
        </Text>
      ))}
      {width >= 80 ? <Text dimColor>{"   ↑↓ PgUp PgDn scroll"}</Text> : null}
    </Text>
  );
}
