// One running sub-agent: what it is doing, for how long, at what cost, and the last lines it
// streamed. Its height is fixed (title, tool, text lines, border), so panes never push the frame
// taller as text arrives.
import { memo, useMemo } from "react";
import { Box, Text } from "ink";
import type { AgentView } from "./run-view-state.js";
import { formatDuration } from "../text/duration.js";
import { formatTokens } from "./format.js";
import { lastRows, padEnd, textWidth, truncateEnd } from "./text-fit.js";

export interface AgentPaneProps {
  readonly agent: AgentView;
  readonly now: number;
  readonly width: number;
  readonly textLines: number;
  /** The live view's cursor is on it (p, x, r act on it). */
  readonly selected?: boolean;
}

/** Drawn again only when its agent, the clock, its size or the cursor changed (memo). */
export const AgentPane = memo(function AgentPane({ agent, now, width, textLines, selected = false }: AgentPaneProps) {
  // Border (2) and one column of padding on each side.
  const inner = Math.max(10, width - 4);
  const tokens = agent.usage.inputTokens + agent.usage.outputTokens;
  const facts = `${agent.agentType} · ${formatDuration(now - agent.startedAt, "elapsed")} · ${formatTokens(tokens)} tok`;
  const titleWidth = Math.max(4, inner - textWidth(facts) - 1);
  const title = truncateEnd(agent.description || agent.id, titleWidth);
  const rows = useMemo(() => lastRows(agent.tail, inner, textLines), [agent.tail, inner, textLines]);
  const padded = [...Array.from({ length: textLines - rows.length }, () => ""), ...rows];
  const activity = agent.retry
    ? { color: "yellow", text: `↻ ${agent.retry}` }
    : agent.tool
      ? { color: agent.tool.running ? "cyan" : agent.tool.ok ? "gray" : "red", text: `${agent.tool.running ? "⚙" : agent.tool.ok ? "✓" : "✗"} ${agent.tool.summary}` }
      : { color: "gray", text: agent.thinking ? "… thinking" : agent.tail === "" ? "… waiting for the model" : "… writing" };
  return (
    <Box flexDirection="column" width={width} height={textLines + 4} borderStyle={selected ? "bold" : "round"} borderColor={selected ? "cyan" : "gray"} paddingX={1}>
      <Text wrap="truncate-end">
        <Text bold>{padEnd(title, titleWidth)}</Text> <Text dimColor>{facts}</Text>
      </Text>
      <Text color={activity.color} wrap="truncate-end">
        {truncateEnd(activity.text, inner)}
      </Text>
      {padded.map((row, i) => (
        <Text key={i} dimColor italic={agent.thinking} wrap="truncate-end">
          {row === "" ? " " : row}
        </Text>
      ))}
    </Box>
  );
});
