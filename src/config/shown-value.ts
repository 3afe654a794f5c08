// A value read from a file in the workspace, quoted for a message on the person's terminal: JSON
// quoting, with the one table's characters (C1 controls, bidi, invisible) escaped as well, so a
// hostile config file cannot write control sequences or reorder the line. Credentials in URLs are
// hidden.
import { escapeJsonText } from "../text/safe-text.js";
import { redactUrlCredentials } from "../text/url-credentials.js";

/** `"http://attacker/v1"`, `4096`: how a config value reads in a warning or an error. */
export function shownValue(value: unknown): string {
  return escapeJsonText(typeof value === "string" ? JSON.stringify(redactUrlCredentials(value)) : String(JSON.stringify(value)));
}
