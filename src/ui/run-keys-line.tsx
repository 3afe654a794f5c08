// The run screen's last line: the keys, or what a key is waiting on (stop the run? y/N), or why
// no new sub-agent starts (paused).
import { Text } from "ink";
import type { RunViewState } from "./run-view-state.js";

export interface RunKeysLineProps {
  readonly paused: RunViewState["paused"];
  readonly confirmStop: boolean;
  readonly selected: string | undefined;
  readonly width: number;
}

export function RunKeysLine({ paused, confirmStop, selected, width }: RunKeysLineProps) {
  if (confirmStop) {
    return (
      <Text color="yellow" wrap="truncate-end">
        Stop the run? Running sub-agents finish, then it ends paused (resumable). y: stop · other: go on
      </Text>
    );
  }
  const keys: Array<[string, string]> = [
    ["↑↓", "select"],
    ["p", paused?.cause === "person" ? "continue" : "pause"],
    ["x", "stop agent"],
    ["r", "restart agent"],
    ["X", "stop run"],
  ];
  return (
    <Text wrap="truncate-end">
      {paused !== undefined ? <Text color="yellow">{`⏸ ${paused.reason} · `}</Text> : null}
      {keys.map(([key, label], i) => (
        <Text key={key}>
          {i > 0 ? "  " : ""}
          <Text bold color="cyan">
            {key}
          </Text>{" "}
          {label}
        </Text>
      ))}
      {selected !== undefined && width >= 100 ? <Text dimColor>{`   on ${selected}`}</Text> : null}
    </Text>
  );
}
