// What every command that runs agents sets up around its run: the event bus, the run store, the
// progress lines on stderr, stream-json on stdout, and the stop signal (Ctrl-C or a closed pipe).
import { createEventBus, type Emit, type RunEvent } from "../events.js";
import { createRunStore, newRunId, stateHome, type RunStore } from "../run/run-store.js";
import { createPlainProgress } from "../ui/plain-progress.js";
import { isBrokenPipe } from "./report-output.js";
import type { CliIO } from "./run-command.js";
import type { OutputFormat } from "./run-options.js";

export interface FrontEnds {
  readonly runId: string;
  readonly emit: Emit;
  readonly store: RunStore | undefined;
  /** Aborts on Ctrl-C and when the reader of stdout goes away. */
  readonly signal: AbortSignal;
  readonly readerGone: () => boolean;
  readonly warn: (text: string) => void;
  close(): Promise<void>;
}

export function openFrontEnds(io: CliIO, outputFormat: OutputFormat, outerSignal: AbortSignal): FrontEnds {
  const runId = newRunId();
  const bus = createEventBus();
  const warn = (text: string) => {
    if (!io.stderr.destroyed) io.stderr.write(text);
  };
  let store: RunStore | undefined;
  try {
    store = createRunStore(stateHome(io.env), runId);
    const kept = store;
    bus.subscribe((event) => kept.record(event));
  } catch (error) {
    warn(`agentwf: warning: this run is not recorded: ${(error as Error).message}\n`);
  }
  bus.subscribe(createPlainProgress({ write: warn, colorLevel: io.colorLevel }));

  const run = new AbortController();
  const onOuterAbort = () => run.abort();
  outerSignal.addEventListener("abort", onOuterAbort, { once: true });
  let gone = false;
  io.stdout.on("error", (error) => {
    if (isBrokenPipe(error)) {
      gone = true;
      run.abort();
    }
  });
  if (outputFormat === "stream-json") {
    bus.subscribe((event: RunEvent) => {
      if (!gone) io.stdout.write(`${JSON.stringify(event)}\n`);
    });
  }
  return {
    runId,
    emit: bus.emit,
    store,
    signal: run.signal,
    readerGone: () => gone,
    warn,
    async close() {
      outerSignal.removeEventListener("abort", onOuterAbort);
      await store?.close();
    },
  };
}
