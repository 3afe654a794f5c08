/**
 * A problem a person must fix in flags, environment or files (exit code 2). The message is one
 * line that says what is wrong and what to do; it is printed without a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
