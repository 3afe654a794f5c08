// Validation failures as one line a person (or a model) can act on: `where: what`, joined by "; ".
import type { z } from "zod";

export interface IssueOptions {
  /** How a path is named (a flag, an environment variable); default: its keys joined by ".". */
  readonly name?: (path: readonly PropertyKey[]) => string;
  /** The name for an issue about the whole value; default: none, only the message. */
  readonly whole?: string;
  /** Messages that already name their field ("--timeout takes a duration…"), shown without a path. */
  readonly standsAlone?: (message: string) => boolean;
  /** How many issues to show; default: all. */
  readonly most?: number;
}

function describe(issue: z.core.$ZodIssue): string {
  // zod's own wording ("Unrecognized key: …") does not say the key is the problem to remove.
  if (issue.code === "unrecognized_keys") return `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  return issue.message;
}

/** Renders zod issues as `path: message` joined by "; " (config keys, tool arguments, flags). */
export function formatZodIssues(error: z.ZodError, options: IssueOptions = {}): string {
  const issues = options.most === undefined ? error.issues : error.issues.slice(0, options.most);
  return issues
    .map((issue) => {
      const name = issue.path.length > 0 ? (options.name?.(issue.path) ?? issue.path.map(String).join(".")) : (options.whole ?? "");
      const message = describe(issue);
      return name === "" || options.standsAlone?.(message) === true ? message : `${name}: ${message}`;
    })
    .join("; ");
}
