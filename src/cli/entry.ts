// The process edge: real streams, environment, signals. Everything below takes these as
// parameters; this file is the only one that touches `process` directly.
import { supportsColorStderr } from "chalk";
import { EXIT } from "./exit-codes.js";
import { interruptGuard, interruptNotice } from "./interrupt-control.js";
import { main } from "./main.js";
import { isBrokenPipe } from "./report-output.js";
import { capYoungGeneration } from "./young-generation.js";

// Bounds V8's young generation, which many streams at once would grow to 128 MB (young-generation.ts).
capYoungGeneration();

const controller = new AbortController();
let interrupts = 0;
/** Clean shutdown gets this long after the first Ctrl-C; the run store is already on disk. */
const GRACE_MS = 2000;
const exitNow = () => {
  const notice = interruptNotice();
  if (notice !== undefined) process.stderr.write(notice);
  process.exit(EXIT.interrupted);
};
let asking = false;
const stop = () => {
  interrupts += 1;
  controller.abort();
  setTimeout(exitNow, GRACE_MS).unref();
};
const interrupt = () => {
  // The first Ctrl-C stops the run cleanly (what finished is reported and kept); a second one
  // means now. Either way the store lost nothing: it is written line by line as things happen,
  // and the sandbox child exits when its IPC channel closes with us.
  if (interrupts > 0) exitNow();
  // A Ctrl-C while the question is open answers it: stop.
  if (asking) return stop();
  const confirm = interruptGuard();
  if (confirm === undefined) return stop();
  asking = true;
  void confirm().then(
    (yes) => {
      asking = false;
      if (yes && interrupts === 0) stop();
    },
    () => {
      asking = false;
      stop();
    },
  );
};
process.on("SIGINT", interrupt);
// SIGTERM comes from a program (a supervisor, `timeout`, `kill`), never from a stray key: no question.
process.on("SIGTERM", () => (interrupts > 0 ? exitNow() : stop()));
// A closed stdout (`| head`) is handled by the commands; this keeps it from becoming a crash.
process.stdout.on("error", (error) => {
  if (!isBrokenPipe(error)) throw error;
});
process.stderr.on("error", () => {});

const colorLevel = supportsColorStderr === false ? 0 : supportsColorStderr.level;
const code = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  colorLevel,
}, controller.signal);
// Exit now: idle keep-alive sockets and the like must not hold a finished run open.
process.exit(code);
