// Paging for tools whose results are a list (glob, grep, list_dir). The contract, which the demo
// model and any other program reading tool output rely on exactly: `offset` is a zero-based index
// into the complete, deterministically sorted list; when a page is cut, the LAST line of the output
// is `[truncated: showing A-B of T; call again with offset B to continue]` (A = offset + 1, B = the
// index after the last entry shown, T = the total), and the same facts are in the outcome's `page`.
// When nothing is cut there is no such line and no `page`.
import { z } from "zod";
import type { PageInfo, ToolOutcome } from "./tool.js";

/** The `offset` parameter every paged tool takes. */
export const offsetParameter = z
  .number()
  .int()
  .min(0)
  .default(0)
  .describe("Zero-based index of the first result to show; default 0. When output is cut, its last line gives the next offset.");

/** The sentence each paged tool's description ends with. */
export const PAGING_HELP =
  "When results are cut, the last line of the output is exactly " +
  '"[truncated: showing A-B of T; call again with offset B to continue]": call again with offset B for the next page.';

export interface PageLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** The line that ends a cut page. */
export function truncationLine(page: PageInfo): string {
  return `[truncated: showing ${page.offset + 1}-${page.nextOffset} of ${page.total}; call again with offset ${page.nextOffset} to continue]`;
}

/**
 * Renders entries [offset, …) of a complete list of `total` lines (`lineAt` renders one on demand,
 * so only the page is ever formatted), within the entry and byte limits; at least one entry is
 * shown so that paging always moves on. `notes` go after the entries and before the truncation line.
 */
export function renderPage(
  total: number,
  lineAt: (index: number) => string,
  offset: number,
  limits: PageLimits,
  notes: readonly string[] = [],
): ToolOutcome {
  const lines: string[] = [];
  let bytes = 0;
  let index = offset;
  for (; index < total && lines.length < limits.maxEntries; index += 1) {
    const line = lineAt(index);
    const cost = Buffer.byteLength(line, "utf8") + 1;
    if (lines.length > 0 && bytes + cost > limits.maxBytes) break;
    lines.push(line);
    bytes += cost;
  }
  const tail = notes.length === 0 ? [] : ["", ...notes];
  if (index >= total) return { ok: true, output: [...lines, ...tail].join("\n") };
  const page: PageInfo = { offset, shown: index - offset, total, nextOffset: index };
  return { ok: true, output: [...lines, ...tail, "", truncationLine(page)].join("\n"), page };
}

/** The answer when `offset` is at or past the end of a non-empty list. */
export function pastTheEnd(offset: number, total: number, what: string): ToolOutcome {
  return { ok: true, output: `[no ${what} at offset ${offset}: there are ${total}, at offsets 0-${total - 1}]` };
}
