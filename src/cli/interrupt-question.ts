// The interrupt guard for a terminal: with more than ASK_ABOVE_RUNNING sub-agents running, the
// first Ctrl-C asks before stopping them. Without a terminal (a script, CI, a pipe) Ctrl-C and
// SIGTERM stop at once: there is no one to ask.
import type { InkFrontEnd } from "../ui/ink-front-end.js";
import { askOnTerminal } from "../ui/terminal-question.js";
import type { CliIO } from "./cli-io.js";
import { ASK_ABOVE_RUNNING, isYes, stopQuestion } from "./interrupt-control.js";

export function interruptConfirmation(io: Pick<CliIO, "stdin" | "stderr">, live: InkFrontEnd | undefined, running: () => number): (() => Promise<boolean>) | undefined {
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) return undefined;
  return async () => {
    const count = running();
    if (count <= ASK_ABOVE_RUNNING) return true;
    const question = stopQuestion(count);
    if (live !== undefined) return live.confirmInterrupt(question, isYes);
    return askOnTerminal(io.stdin, io.stderr, `\n${question}`, isYes);
  };
}
