// Renders a component with ink-testing-library and waits for React: updates that come from the
// store or from keys are scheduled, so a test waits for them to commit before reading the frame.
import type { ReactElement } from "react";
import { render as inkRender } from "ink";
import { render } from "ink-testing-library";
import { fakeInput, fakeOutput } from "./fake-terminal.js";

export interface Rendered {
  /** The last frame; fails loudly when nothing was drawn (an empty frame hides most bugs). */
  frame(): string;
  /** Types keys and waits for the screen to take them. */
  type(keys: string): Promise<void>;
  settle(): Promise<void>;
  unmount(): void;
}

/** Lets React commit scheduled updates and Ink draw them. */
export const settle = async (): Promise<void> => {
  for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

/** ink-testing-library's terminal is 100 columns wide; wider layouts get a fake terminal of `columns`. */
function renderWide(node: ReactElement, columns: number) {
  const output = fakeOutput(columns, 60);
  const input = fakeInput();
  const instance = inkRender(node, { stdout: output.stream, stdin: input.stream, debug: true, exitOnCtrlC: false, patchConsole: false });
  return {
    lastFrame: () => output.writes.at(-1),
    stdin: { write: (data: string) => input.type(data) },
    unmount: () => instance.unmount(),
  };
}

export async function renderInk(node: ReactElement, options: { readonly columns?: number } = {}): Promise<Rendered> {
  const app = options.columns !== undefined && options.columns > 100 ? renderWide(node, options.columns) : render(node);
  await settle();
  return {
    frame() {
      const frame = app.lastFrame();
      if (frame === undefined || frame.trim() === "") throw new Error("the component drew an empty frame");
      return frame;
    },
    async type(keys) {
      app.stdin.write(keys);
      await settle();
    },
    settle,
    unmount: () => app.unmount(),
  };
}

/** Text of a frame without trailing spaces on each line. */
export const lines = (frame: string): string[] => frame.split("\n").map((line) => line.trimEnd());
