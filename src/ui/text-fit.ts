// Fitting plain text into terminal columns. Every live line is cut or wrapped here, to an exact
// width, because one line that the terminal wraps on its own makes the frame one row taller than
// Ink thinks, and the next redraw leaves a torn copy behind.
import stringWidth from "string-width";
import { NARROW_TEXT as NARROW } from "./narrow-text.js";

/** Columns one character (code point or short grapheme) takes; narrow ones take the fast path. */
export function charWidth(ch: string): number {
  const code = ch.charCodeAt(0);
  if (ch.length === 1 && code >= 0x20 && code < 0x7f) return 1;
  if (ch.length === 1 && NARROW.test(ch)) return 1;
  return stringWidth(ch);
}

/** Columns a plain (ANSI-free) string takes. */
export function textWidth(text: string): number {
  return NARROW.test(text) ? text.length : stringWidth(text);
}

/** Cuts text to `width` columns, ending in "…" when something was cut. */
export function truncateEnd(text: string, width: number): string {
  if (width <= 0) return "";
  if (textWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Pads text with spaces to exactly `width` columns (cutting it first when longer). */
export function padEnd(text: string, width: number): string {
  const cut = truncateEnd(text, width);
  return cut + " ".repeat(Math.max(0, width - textWidth(cut)));
}

/**
 * Wraps one line of plain text into rows of at most `width` columns: at the last space when there
 * is one in the row, else hard (a long path or URL).
 */
export function wrapLine(line: string, width: number): string[] {
  if (width <= 0) return [line];
  if (textWidth(line) <= width) return [line];
  const rows: string[] = [];
  let row = "";
  let used = 0;
  let lastSpace = -1;
  for (const ch of line) {
    const w = charWidth(ch);
    if (used + w > width) {
      if (lastSpace > 0 && ch !== " ") {
        rows.push(row.slice(0, lastSpace));
        row = row.slice(lastSpace + 1);
        used = textWidth(row);
      } else {
        rows.push(row);
        row = "";
        used = 0;
      }
      lastSpace = -1;
      if (ch === " " && row === "") continue;
    }
    if (ch === " ") lastSpace = row.length;
    row += ch;
    used += w;
  }
  rows.push(row);
  return rows;
}

/** The last `count` rows of text wrapped to `width`, blank lines dropped (for streaming tails). */
export function lastRows(text: string, width: number, count: number): string[] {
  if (count <= 0) return [];
  // Only the end can show; wrapping all of a long tail on every frame would waste the frame budget.
  const window = text.length > count * width * 4 ? text.slice(-count * width * 4) : text;
  const rows: string[] = [];
  const lines = window.split("\n");
  for (let i = lines.length - 1; i >= 0 && rows.length < count; i -= 1) {
    const line = (lines[i] ?? "").trimEnd();
    if (line.trim() === "") continue;
    const wrapped = wrapLine(line, width);
    for (let j = wrapped.length - 1; j >= 0 && rows.length < count; j -= 1) rows.unshift(wrapped[j] ?? "");
  }
  return rows;
}
