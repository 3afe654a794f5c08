// The top line of the live area: the task, and how the run stands (model, run id, time, tokens, cost).
import { Box, Text } from "ink";
import type { RunViewState } from "./run-view-state.js";
import { formatDuration } from "../text/duration.js";
import { formatCost, formatTokens } from "./format.js";
import { redactUrlCredentials } from "../text/url-credentials.js";
import { textWidth, truncateEnd } from "./text-fit.js";

export interface HeaderProps {
  readonly view: RunViewState;
  readonly now: number;
  readonly width: number;
  /** The server the person named for every model (--base-url and friends), shown beside the model. */
  readonly server?: string;
  /** The run's sandbox ("read-only, no network"): what the agents' tools may do. */
  readonly sandbox?: string;
}

/** One line: "agentwf  task … model · run id · 1m05s · ↑12.3k ↓1.1k · $0.0123". */
export function Header({ view, now, width, server, sandbox }: HeaderProps) {
  const run = view.run;
  const elapsed = run === undefined ? 0 : (view.endedAt ?? now) - run.startedAt;
  const usage = view.usage;
  // Where the key goes is worth a glance; a password in that URL is not.
  const model = run?.model !== undefined && server !== undefined ? `${run.model} @ ${redactUrlCredentials(server)}` : run?.model;
  const facts = [
    model,
    // What the agents may do is worth a glance; only its mode when the line is narrow.
    sandbox === undefined ? undefined : width >= 120 ? sandbox : sandbox.split(",")[0]?.split(":")[0],
    // The run id matters later (`agentwf runs show`), and the summary has it; a narrow header
    // keeps the room for the task.
    width >= 100 ? run?.runId : undefined,
    formatDuration(elapsed, "elapsed"),
    `↑${formatTokens(usage.inputTokens)} ↓${formatTokens(usage.outputTokens)}`,
    usage.costUsd !== undefined ? formatCost(usage.costUsd) : undefined,
  ].filter((part): part is string => part !== undefined && part !== "");
  const right = truncateEnd(facts.join(" · "), Math.max(10, width - 12));
  const label = "agentwf ";
  const taskWidth = width - textWidth(label) - textWidth(right) - 2;
  const task = taskWidth >= 4 ? truncateEnd((run?.task ?? "").replace(/\s+/g, " ").trim(), taskWidth) : "";
  const gap = Math.max(1, width - textWidth(label) - textWidth(task) - textWidth(right));
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          {label}
        </Text>
        <Text bold>{task}</Text>
        {" ".repeat(gap)}
        <Text dimColor>{right}</Text>
      </Text>
    </Box>
  );
}
