// Ends a test run with one plain line, "N passed, N failed, N skipped", which any CI log reader
// understands (vitest's own summary is colored and formatted for people). It hooks onFinished,
// which runs after the default reporter's summary, so this line is the last one.
import type { Reporter } from "vitest/node";

type Task = { readonly type: string; readonly tasks?: readonly Task[]; readonly mode?: string; readonly result?: { readonly state?: string } };

function count(tasks: readonly Task[], totals: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === "test") {
      const state = task.result?.state;
      if (state === "pass") totals.passed += 1;
      else if (state === "fail") totals.failed += 1;
      else totals.skipped += 1;
    }
    if (task.tasks) count(task.tasks, totals);
  }
}

export default class PlainSummaryReporter implements Reporter {
  onFinished(files: ReadonlyArray<Task> = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
  }
}
