// Every exit code agentwf uses, in one table (DESIGN.md, "The command line contract").
export const EXIT = {
  /** The run finished and its report was written. */
  done: 0,
  /** The run failed: the model server, the workflow, or the parent gave up. */
  failed: 1,
  /** Bad usage or configuration: a flag, a key, a provider, a file. */
  usage: 2,
  /** A person stopped the run at approval (or --dry-run stopped before running). */
  stoppedAtApproval: 3,
  /** A --budget or a server's usage limit paused the run; resume it with --resume (and more budget). */
  paused: 4,
  /** Ctrl-C, or the reader of stdout went away. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error whose message is one line for the person, with the exit code it ends the program with. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}
