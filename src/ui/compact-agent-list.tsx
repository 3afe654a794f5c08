// The running agents that have no pane, as one compact list: "+ 61 more: audit lib 12s · …".
import { Text } from "ink";
import type { AgentView } from "./run-view-state.js";
import { formatDuration } from "../text/duration.js";
import { textWidth, truncateEnd } from "./text-fit.js";

export interface CompactAgentListProps {
  readonly agents: readonly AgentView[];
  readonly now: number;
  readonly width: number;
  readonly rows: number;
}

const SEPARATOR = " · ";
const SEPARATOR_WIDTH = 3;

/** Fills `rows` lines with as many entries as fit; the last line ends with how many are left out. */
export function CompactAgentList({ agents, now, width, rows }: CompactAgentListProps) {
  const entries = agents.map((agent) => `${truncateEnd(agent.description || agent.id, 28)} ${formatDuration(now - agent.startedAt, "elapsed")}`);
  const lines: string[] = [];
  let line = `+ ${agents.length} more running: `;
  // Widths are kept as the line grows: measuring the whole line again for every entry cost
  // quadratic time on each frame (a line with "·" in it is not ASCII, so it took string-width).
  let lineWidth = textWidth(line);
  let fresh = true;
  let placed = 0;
  for (const entry of entries) {
    const entryWidth = textWidth(entry);
    const piece = (fresh ? "" : SEPARATOR) + entry;
    const pieceWidth = (fresh ? 0 : SEPARATOR_WIDTH) + entryWidth;
    const isLastLine = lines.length === rows - 1;
    const reserve = isLastLine ? 12 : 0;
    if (lineWidth + pieceWidth + reserve > width) {
      if (isLastLine) break;
      lines.push(line);
      line = `  ${entry}`;
      lineWidth = 2 + entryWidth;
    } else {
      line += piece;
      lineWidth += pieceWidth;
    }
    fresh = false;
    placed += 1;
  }
  if (placed < entries.length) line += ` · +${entries.length - placed} more`;
  lines.push(line);
  return (
    <>
      {lines.slice(0, rows).map((text, i) => (
        <Text key={i} dimColor wrap="truncate-end">
          {truncateEnd(text, width)}
        </Text>
      ))}
    </>
  );
}
