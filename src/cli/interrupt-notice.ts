// What entry.ts prints if it must exit before the run could end cleanly (a second Ctrl-C, or the
// first one taking too long): the command that resumes the run. The run store is written line by
// line as things happen, so exiting there loses nothing that finished; this line says how to go on.
let notice: string | undefined;

export function setInterruptNotice(text: string | undefined): void {
  notice = text;
}

export function interruptNotice(): string | undefined {
  return notice;
}
