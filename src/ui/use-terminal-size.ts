// The size of the terminal the UI draws on, updated on resize. Streams that are not terminals
// (tests, pipes) have no size; they get 80×24 unless a size is given.
import { useEffect, useState } from "react";
import { useStdout } from "ink";

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

const read = (stream: NodeJS.WriteStream, fallback: TerminalSize): TerminalSize => ({
  columns: stream.columns > 0 ? stream.columns : fallback.columns,
  rows: stream.rows > 0 ? stream.rows : fallback.rows,
});

/** Columns and rows of Ink's output stream; `fixed` overrides both (tests). */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const fallback = fixed ?? { columns: 80, rows: 24 };
  const [size, setSize] = useState(() => (fixed ? fixed : read(stdout, fallback)));
  useEffect(() => {
    if (fixed !== undefined) return;
    const onResize = () => setSize(read(stdout, fallback));
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
    // The fallback is a constant for a given `fixed`; re-subscribing on its identity would churn.
  }, [stdout, fixed]);
  return fixed ?? size;
}
