// The process edge: real streams, environment, signals. Everything below takes these as
// parameters; this file is the only one that touches `process` directly.
import { supportsColorStderr } from "chalk";
import { EXIT } from "./exit-codes.js";
import { main } from "./main.js";
import { isBrokenPipe } from "./report-output.js";

const controller = new AbortController();
let interrupts = 0;
const interrupt = () => {
  interrupts += 1;
  // The first Ctrl-C stops the run cleanly (the report of what finished is still written); a
  // second one means now.
  if (interrupts > 1) process.exit(EXIT.interrupted);
  controller.abort();
};
process.on("SIGINT", interrupt);
process.on("SIGTERM", interrupt);
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
