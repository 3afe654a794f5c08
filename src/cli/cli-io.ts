// What a command gets from the process: its streams, environment and directory. Passed in, so tests
// drive the whole CLI in process with their own streams.
import type { Readable, Writable } from "node:stream";
import type { Env } from "../config/resolve-model.js";

export interface TtyStream {
  readonly isTTY?: boolean;
}

export interface CliIO {
  readonly stdin: Readable & TtyStream;
  readonly stdout: Writable & TtyStream;
  readonly stderr: Writable & TtyStream;
  readonly env: Env;
  readonly cwd: string;
  /**
   * Color level chalk detects for stderr: it honours FORCE_COLOR and whether stderr is a terminal,
   * but not NO_COLOR, which ui/color-level.ts applies on top.
   */
  readonly colorLevel: 0 | 1 | 2 | 3;
}
