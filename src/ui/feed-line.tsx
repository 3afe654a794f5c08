// One entry of the scrollback (Ink's <Static>): written once above the live area, never redrawn.
import { Box, Text } from "ink";
import { Chalk } from "chalk";
import type { ColorLevel } from "./color-level.js";
import { formatDuration } from "../text/duration.js";
import { formatCost, formatTokens } from "./format.js";
import { renderMarkdown } from "./markdown-lines.js";
import type { FeedItem, NoteTone, FinishedRun } from "./run-view-state.js";

export interface FeedLineProps {
  readonly item: FeedItem;
  readonly width: number;
  /** For the report, which is styled as a string. */
  readonly colorLevel: ColorLevel;
}

const TONES: Readonly<Record<NoteTone, { readonly icon: string; readonly color: string }>> = {
  info: { icon: "•", color: "gray" },
  ok: { icon: "✓", color: "green" },
  warn: { icon: "!", color: "yellow" },
  error: { icon: "✗", color: "red" },
};

function Summary({ summary, width }: { readonly summary: FinishedRun; readonly width: number }) {
  const ok = summary.status === "done";
  const label = { done: "done", failed: "failed", rejected: "stopped", interrupted: "interrupted", paused: "paused" }[summary.status];
  const usage = summary.usage;
  const facts = [
    `${summary.agents} agent${summary.agents === 1 ? "" : "s"}${summary.failedAgents > 0 ? ` (${summary.failedAgents} failed)` : ""}`,
    `wall ${formatDuration(summary.wallMs, "measured")}`,
    `tokens ↑${formatTokens(usage.inputTokens)} ↓${formatTokens(usage.outputTokens)}`,
    ...(usage.costUsd !== undefined ? [`cost ${formatCost(usage.costUsd)}`] : []),
  ].join(" · ");
  const runLabel = ` · run ${summary.runId}`;
  const rule = "─".repeat(Math.max(0, Math.min(width, 72) - label.length - runLabel.length - 4));
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text>
        <Text dimColor>{"── "}</Text>
        <Text bold color={ok ? "green" : "red"}>
          {label}
        </Text>
        <Text dimColor>{`${runLabel} ${rule}`}</Text>
      </Text>
      <Text>{facts}</Text>
      {summary.error !== undefined && !ok ? <Text color="red">{summary.error}</Text> : null}
    </Box>
  );
}

export function FeedLine({ item, width, colorLevel }: FeedLineProps) {
  switch (item.kind) {
    case "parent_text":
      return (
        <Box paddingLeft={2} width={width}>
          <Text dimColor>{item.text}</Text>
        </Box>
      );
    case "parent_tool":
      return (
        <Text color="cyan" dimColor>
          {`⚙ ${item.summary}`}
        </Text>
      );
    case "agent": {
      const a = item.agent;
      const tokens = formatTokens(a.usage.inputTokens + a.usage.outputTokens);
      return (
        <Text wrap="truncate-end">
          <Text color={a.ok ? "green" : "red"}>{a.ok ? "✓ " : "✗ "}</Text>
          {a.description || a.id}
          <Text dimColor>{` · ${a.agentType} · ${formatDuration(a.durationMs, "measured")} · ${tokens} tok`}</Text>
          {a.error !== undefined ? <Text color="red">{` · ${a.error}`}</Text> : null}
        </Text>
      );
    }
    case "log":
      return (
        <Text>
          <Text color="blue">{"│ log "}</Text>
          {item.message}
        </Text>
      );
    case "note": {
      const tone = TONES[item.tone];
      return (
        <Text color={tone.color}>
          {tone.icon} {item.text}
        </Text>
      );
    }
    case "summary":
      return <Summary summary={item.summary} width={width} />;
    case "report":
      return (
        <Box marginTop={1} width={width}>
          <Text>{renderMarkdown(item.markdown, width, new Chalk({ level: colorLevel }))}</Text>
        </Box>
      );
    default: {
      const unreachable: never = item;
      return unreachable;
    }
  }
}
