// A window onto the approval screen's code rows: line numbers, syntax colors, diff marks, and
// escaped invisible characters in inverse red so they cannot be missed.
import { Box, Text } from "ink";
import type { CodeStyle } from "./code-lines.js";
import type { CodeRow } from "./code-rows.js";

export interface CodeViewProps {
  readonly rows: readonly CodeRow[];
  readonly gutterWidth: number;
  /** Index of the first row shown. */
  readonly offset: number;
  readonly height: number;
  readonly width: number;
}

const COLORS: Readonly<Record<Exclude<CodeStyle, "escape">, string | undefined>> = {
  plain: undefined,
  keyword: "magenta",
  string: "green",
  number: "yellow",
  comment: "gray",
  regexp: "red",
  wf: "cyan",
  property: "blue",
};

function Row({ row, gutterWidth }: { readonly row: CodeRow; readonly gutterWidth: number }) {
  const diff = row.mark !== "code";
  const marker = row.mark === "add" ? "+" : row.mark === "del" ? "-" : " ";
  const numberWidth = gutterWidth - 3 - (diff ? 1 : 0);
  const lineColor = row.mark === "add" ? "green" : row.mark === "del" ? "red" : undefined;
  return (
    <Text wrap="truncate-end">
      {diff ? <Text color={lineColor}>{row.first ? marker : " "}</Text> : null}
      <Text color={lineColor} dimColor={lineColor === undefined}>
        {row.gutter.padStart(numberWidth)}
      </Text>
      <Text dimColor>{row.first ? " │ " : " ┆ "}</Text>
      {row.segments.map((segment, i) =>
        segment.style === "escape" ? (
          <Text key={i} backgroundColor="red" color="white" bold>
            {segment.text}
          </Text>
        ) : (
          <Text key={i} color={lineColor ?? COLORS[segment.style]} dimColor={row.mark === "del"}>
            {segment.text}
          </Text>
        ),
      )}
    </Text>
  );
}

/** Rows `offset` to `offset + height`, padded with blank lines so the height never changes. */
export function CodeView({ rows, gutterWidth, offset, height, width }: CodeViewProps) {
  const shown = rows.slice(offset, offset + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((row, i) => (
        <Row key={offset + i} row={row} gutterWidth={gutterWidth} />
      ))}
    </Box>
  );
}
