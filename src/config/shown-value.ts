// A value read from a file in the workspace, quoted for a message on the person's terminal: JSON
// quoting escapes C0 controls, and the C1 controls (a lone U+009B starts a terminal sequence too),
// bidi overrides and zero-width characters are escaped as well, so a hostile config file cannot
// write control sequences or reorder the line. Credentials in URLs are hidden.
import { redactUrlCredentials } from "../text/url-credentials.js";

const UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** `"http://attacker/v1"`, `4096`: how a config value reads in a warning or an error. */
export function shownValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(redactUrlCredentials(value)) : String(JSON.stringify(value));
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
