// The run screen's last line: the keys, or what a key is waiting on (stop the run? y/N), or why
// no new sub-agent starts (paused).
import { Text } from "ink";
import { KeyHints, type KeyHint } from "./key-hints.js";
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
  const keys: KeyHint[] = [
    ["↑↓", "select"],
    ["p", paused?.cause === "person" ? "continue" : "pause"],
    ["x", "stop agent"],
    ["r", "restart agent"],
    ["X", "stop run"],
  ];
  return (
    <KeyHints
      keys={keys}
      before={paused !== undefined ? <Text color="yellow">{`⏸ ${paused.reason} · `}</Text> : null}
      after={selected !== undefined && width >= 100 ? <Text dimColor>{`   on ${selected}`}</Text> : null}
    />
  );
}
