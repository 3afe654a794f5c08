// What every command that runs agents sets up around its run: the event bus, the run store, the
// live terminal UI or else the progress lines on stderr, stream-json on stdout, and the stop
// signal (Ctrl-C or a closed pipe).
import { createEventBus, type Emit, type RunEvent } from "../events.js";
import { createProgressTracker } from "../run/progress-snapshot.js";
import type { RunStore } from "../run/run-store.js";
import { resolveColorLevel } from "../ui/color-level.js";
import { editorCommand } from "../ui/external-editor.js";
import type { InkFrontEnd } from "../ui/ink-front-end.js";
import { createPlainProgress } from "../ui/plain-progress.js";
import { DEFAULT_LIMITS } from "../config/limits.js";
import { typeCheckInWorker } from "../workflow/type-check-worker.js";
import { validateWorkflowAsync } from "../workflow/validate.js";
import { redactCredentialsDeep, redactUrlCredentials } from "../text/url-credentials.js";
import { escapeJsonText, stripForTerminal } from "../text/safe-text.js";
import { isBrokenPipe } from "./report-output.js";
import { describeSandbox, type SandboxMode } from "../config/sandbox-mode.js";
import { scrubDeep, type SecretScrubber } from "../config/secret-env.js";
import type { CliIO, TtyStream } from "./cli-io.js";
import type { OutputFormat } from "./run-options.js";
import type { RunRecord } from "./run-record.js";

export interface FrontEnds {
  readonly runId: string;
  readonly emit: Emit;
  readonly store: RunStore | undefined;
  /** Aborts on Ctrl-C and when the reader of stdout goes away. */
  readonly signal: AbortSignal;
  readonly readerGone: () => boolean;
  /** Sub-agents that finished with a result, and those running now, from the events so far. */
  readonly tally: () => { readonly finished: number; readonly running: number };
  readonly warn: (text: string) => void;
  close(): Promise<void>;
}

const isTerminal = (stream: TtyStream): stream is NodeJS.WriteStream & NodeJS.ReadStream => stream.isTTY === true;

/**
 * Loads Ink and React only when the live UI is used (the other commands start faster), and loads
 * React's production build: React picks its development build, several times slower and with
 * profiling hooks, unless NODE_ENV is "production" when it is first loaded. The variable is set
 * only for the import, so the commands agents run never inherit it (npm would skip devDependencies).
 */
async function loadInk(): Promise<typeof import("../ui/ink-front-end.js")> {
  const unset = process.env.NODE_ENV === undefined;
  if (unset) process.env.NODE_ENV = "production";
  try {
    return await import("../ui/ink-front-end.js");
  } finally {
    if (unset) delete process.env.NODE_ENV;
  }
}

/**
 * The live terminal UI, when there is a terminal to draw on (stdout, or stderr when stdout is
 * piped) and one to read keys from; undefined otherwise, and for stream-json, whose lines on
 * stdout would tear the frames.
 */
export async function openLiveUi(
  io: CliIO,
  options: { readonly outputFormat: OutputFormat; readonly cwd: string; readonly baseUrl?: string; readonly sandbox: SandboxMode; readonly network: boolean },
): Promise<InkFrontEnd | undefined> {
  const output = io.stdout.isTTY === true ? io.stdout : io.stderr;
  if (options.outputFormat === "stream-json" || !isTerminal(io.stdin) || !isTerminal(output)) return undefined;
  const { createInkFrontEnd } = await loadInk();
  return createInkFrontEnd({
    stdin: io.stdin,
    output,
    colorLevel: resolveColorLevel(io.env, io.colorLevel),
    sandboxMode: describeSandbox(options.sandbox, options.network),
    server: options.baseUrl,
    cwd: options.cwd,
    editor: editorCommand(io.env),
    // In the worker, so that the screen does not freeze while an edit is type-checked.
    validate: (code) => validateWorkflowAsync(code, DEFAULT_LIMITS.maxCodeBytes, typeCheckInWorker),
    // Raw mode turns Ctrl-C into a key; sending the signal to ourselves keeps entry.ts's rule
    // (the first stops the run cleanly, the second exits now).
    onInterrupt: () => process.kill(process.pid, "SIGINT"),
  });
}

export function openFrontEnds(io: CliIO, outputFormat: OutputFormat, outerSignal: AbortSignal, record: RunRecord, live?: InkFrontEnd, scrub: SecretScrubber = (text) => text): FrontEnds {
  const { runId } = record;
  const bus = createEventBus();
  const write = (text: string) => {
    if (!io.stderr.destroyed) io.stderr.write(redactUrlCredentials(text));
  };
  // Messages quote servers, models and workflows (an error body, a failure text): made safe here,
  // once for every command. The progress lines strip their own text and keep their colours.
  const warn = (text: string) => write(stripForTerminal(text));
  const store: RunStore | undefined = record.store;
  for (const line of record.warnings) warn(`${line}\n`);
  if (store !== undefined) bus.subscribe((event) => store.record(event));
  const running = new Set<string>();
  let finished = 0;
  bus.subscribe((event) => {
    if (event.type === "agent_start" && event.role === "sub") running.add(event.agentId);
    if (event.type === "agent_end" && running.delete(event.agentId) && event.ok) finished += 1;
  });
  bus.subscribe(live?.listener ?? createPlainProgress({ write, colorLevel: resolveColorLevel(io.env, io.colorLevel) }));

  const run = new AbortController();
  const onOuterAbort = () => run.abort();
  outerSignal.addEventListener("abort", onOuterAbort, { once: true });
  // A Ctrl-C before this point has already fired: a listener added now would never hear it.
  if (outerSignal.aborted) run.abort();
  let gone = false;
  io.stdout.on("error", (error) => {
    if (isBrokenPipe(error)) {
      gone = true;
      run.abort();
    }
  });
  if (outputFormat === "stream-json") {
    // Each event as it happens, then a progress snapshot when the event changed the picture.
    const progress = createProgressTracker();
    bus.subscribe((event: RunEvent) => {
      const snapshot = progress.update(event);
      if (gone) return;
      io.stdout.write(`${escapeJsonText(JSON.stringify(event))}\n`);
      if (snapshot !== undefined) io.stdout.write(`${escapeJsonText(JSON.stringify(snapshot))}\n`);
    });
  }
  return {
    runId,
    // Redacted once here, before the bus: the store, stream-json, the UI and the progress lines
    // all receive the same event, so none of them can show a password from a URL.
    // Known key values are scrubbed at the same point (a command's output, a tool's error).
    emit: (event) => bus.emit(scrubDeep(redactCredentialsDeep(event), scrub)),
    store,
    signal: run.signal,
    readerGone: () => gone,
    tally: () => ({ finished, running: running.size }),
    warn,
    async close() {
      outerSignal.removeEventListener("abort", onOuterAbort);
      await store?.close();
    },
  };
}
