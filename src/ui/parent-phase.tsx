// The parent agent at work: the end of what it is writing (dimmed) and what it is doing. Its tool
// calls and finished text are in the scrollback above.
import { useMemo } from "react";
import { Box, Text } from "ink";
import type { ParentView } from "./run-view-state.js";
import { lastRows, truncateEnd } from "./text-fit.js";

export interface ParentPhaseProps {
  readonly parent: ParentView;
  readonly width: number;
  /** Lines of streamed text to show at most. */
  readonly textLines: number;
}

export function ParentPhase({ parent, width, textLines }: ParentPhaseProps) {
  const rows = useMemo(() => lastRows(parent.tail, width - 2, textLines), [parent.tail, width, textLines]);
  const status = parent.retry
    ? { color: "yellow", text: `↻ ${parent.retry}` }
    : parent.tool
      ? { color: "cyan", text: `⚙ ${parent.tool}` }
      : { color: "gray", text: parent.thinking ? "… thinking" : parent.tail === "" ? "… waiting for the model" : "… writing" };
  return (
    <Box flexDirection="column" width={width}>
      {rows.map((row, i) => (
        <Text key={i} dimColor italic={parent.thinking} wrap="truncate-end">
          {`  ${row}`}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text bold>parent </Text>
        <Text color={status.color}>{truncateEnd(status.text, width - 8)}</Text>
      </Text>
    </Box>
  );
}
