// One y/N question on the terminal, outside Ink (the live view is suspended while it is open, as
// for the editor). A Ctrl-C while it is open answers it: the person pressed it twice.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

export function askOnTerminal(input: Readable, output: Writable, question: string, isYes: (answer: string) => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, output, terminal: true });
    let settled = false;
    const settle = (yes: boolean) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(yes);
    };
    rl.on("SIGINT", () => {
      output.write("\n");
      settle(true);
    });
    rl.on("close", () => settle(false));
    rl.question(question, (answer) => settle(isYes(answer)));
  });
}
