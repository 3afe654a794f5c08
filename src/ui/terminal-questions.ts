// The questions a run may ask when there is a terminal but no live view (`exec` on a terminal):
// a workflow past --confirm-over, and how to go on after a budget or usage-limit pause. Plain
// readline lines on stderr, like the plain approval prompt.
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import type { PauseDecision, PauseInfo } from "../run/run-control.js";
import { stripForTerminal } from "../text/safe-text.js";

export interface TerminalQuestions {
  confirm(question: string, signal: AbortSignal): Promise<boolean>;
  pausePrompt(pause: PauseInfo, signal: AbortSignal): Promise<PauseDecision>;
}

export function createTerminalQuestions(options: { readonly input: Readable; readonly output: Writable }): TerminalQuestions {
  const question = async (text: string, signal: AbortSignal): Promise<string | undefined> => {
    const rl = createInterface({ input: options.input, output: options.output, terminal: true });
    try {
      return (await rl.question(stripForTerminal(text), { signal })).trim().toLowerCase();
    } catch {
      // Ctrl-C or a closed terminal while asking: the safe answer.
      return undefined;
    } finally {
      rl.close();
    }
  };
  return {
    async confirm(text, signal) {
      return (await question(`${text} [y/N] `, signal)) === "y";
    },
    async pausePrompt(pause, signal) {
      const budget = pause.budget;
      const raised = budget === undefined ? undefined : { kind: budget.kind, amount: budget.amount * 2 };
      const shown = raised === undefined ? "" : raised.kind === "usd" ? `$${raised.amount.toFixed(2)}` : `${raised.amount.toLocaleString("en-US")} tokens`;
      const offer = raised !== undefined ? `[+] raise the budget to ${shown} and go on` : "[c] try again";
      const answer = await question(`\nPaused: ${pause.reason}.\n${offer} / [s] stop here (resumable): `, signal);
      if (answer === "+" && raised !== undefined) return { type: "continue", budget: raised };
      if (answer === "c" && raised === undefined) return { type: "continue" };
      return { type: "stop" };
    },
  };
}
