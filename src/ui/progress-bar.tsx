// The run phase's first line: a bar of finished (green), failed (red), running (yellow) and queued (dim) agents
// with the counts beside it.
import { Text } from "ink";
import { textWidth } from "./text-fit.js";

export interface ProgressBarProps {
  readonly name: string;
  readonly done: number;
  readonly failed: number;
  readonly running: number;
  readonly queued: number;
  readonly elapsed: string;
  readonly width: number;
}

/** "audit ███████░░░░ 12 done · 3 running · 1 failed · 45s". */
export function ProgressBar({ name, done, failed, running, queued, elapsed, width }: ProgressBarProps) {
  const counts = `${done} done · ${running} running · ${queued} queued · ${failed} failed · ${elapsed}`;
  const label = name.length > 24 ? `${name.slice(0, 23)}…` : name;
  const barWidth = Math.max(10, Math.min(40, width - textWidth(label) - textWidth(counts) - 4));
  const total = done + failed + running + queued;
  // Each segment gets its share, rounded so the three always fill the bar exactly.
  const cells = (n: number) => (total === 0 ? 0 : Math.round((n / total) * barWidth));
  const ok = cells(done);
  const bad = Math.min(barWidth - ok, cells(failed));
  const busy = Math.min(barWidth - ok - bad, cells(running));
  const waiting = barWidth - ok - bad - busy;
  return (
    <Text wrap="truncate-end">
      <Text bold>{label}</Text>{" "}
      <Text color="green">{"█".repeat(ok)}</Text>
      <Text color="red">{"█".repeat(bad)}</Text>
      <Text color="yellow">{"▒".repeat(busy)}</Text>
      <Text dimColor>{"░".repeat(waiting)}</Text>{" "}
      <Text color="green">{`${done} done`}</Text>
      <Text dimColor>{" · "}</Text>
      <Text color="yellow">{`${running} running`}</Text>
      <Text dimColor>{` · ${queued} queued · `}</Text>
      <Text color={failed > 0 ? "red" : undefined} dimColor={failed === 0}>{`${failed} failed`}</Text>
      <Text dimColor>{` · ${elapsed}`}</Text>
    </Text>
  );
}
