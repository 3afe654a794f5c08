// A line of key hints, `a/⏎ approve  r reject …`: one look for every screen that lists its keys.
import { Text } from "ink";
import type { ReactNode } from "react";

/** A key and what it does, as shown: ["p", "pause"]. */
export type KeyHint = readonly [key: string, label: string];

/** The keys in bold cyan with their labels, between what comes before and after on the line. */
export function KeyHints({ keys, before, after }: { readonly keys: readonly KeyHint[]; readonly before?: ReactNode; readonly after?: ReactNode }) {
  return (
    <Text wrap="truncate-end">
      {before}
      {keys.map(([key, label], i) => (
        <Text key={key}>
          {i > 0 ? "  " : ""}
          <Text bold color="cyan">
            {key}
          </Text>{" "}
          {label}
        </Text>
      ))}
      {after}
    </Text>
  );
}
