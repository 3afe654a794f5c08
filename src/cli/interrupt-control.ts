// What entry.ts (the only file that sees signals) asks the running command when Ctrl-C comes:
//   - the guard: on a terminal with more than a few sub-agents running, the first Ctrl-C asks
//     before anything stops ("stop 12 running sub-agents? y/N"), so a stray keypress never throws
//     work away;
//   - the notice: printed if entry.ts must exit before the run could end cleanly (a second
//     Ctrl-C, or the first taking too long). The run store is written line by line as things
//     happen, so exiting there loses nothing that finished; the notice says how to go on.
let notice: string | undefined;
let guard: (() => Promise<boolean>) | undefined;

export function setInterruptNotice(text: string | undefined): void {
  notice = text;
}

export function interruptNotice(): string | undefined {
  return notice;
}

/** `confirm` resolves true to stop the run, false to keep it going. */
export function setInterruptGuard(confirm: (() => Promise<boolean>) | undefined): void {
  guard = confirm;
}

export function interruptGuard(): (() => Promise<boolean>) | undefined {
  return guard;
}

/** More sub-agents than this running make the first Ctrl-C ask first (issue 11). */
export const ASK_ABOVE_RUNNING = 3;

/** The question, and how its answer reads: only y or yes stops; Enter and anything else keep going. */
export function stopQuestion(running: number): string {
  return `stop ${running} running sub-agents? y/N `;
}

export function isYes(answer: string): boolean {
  return /^\s*y(es)?\s*$/i.test(answer);
}
