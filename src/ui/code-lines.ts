// Workflow code prepared for the approval screen: highlighted with acorn's tokenizer (already a
// dependency, and it reads the same JavaScript the validator parses), every invisible or control
// character turned into a visible escape, tabs expanded, and each line wrapped to the width. Lines
// are wrapped, never cut: text pushed off the right edge is a classic way to hide code from the
// person approving it.
import { tokTypes, tokenizer, type Token } from "acorn";
import { escapeForDisplay, isUnsafeCharacter } from "../text/safe-text.js";
import { charWidth } from "./text-fit.js";

export type CodeStyle = "plain" | "keyword" | "string" | "number" | "comment" | "regexp" | "wf" | "property" | "escape";

export interface Segment {
  readonly text: string;
  readonly style: CodeStyle;
}

/** One source line as styled segments. */
export type StyledLine = readonly Segment[];

const STYLES: readonly CodeStyle[] = ["plain", "keyword", "string", "number", "comment", "regexp", "wf", "property", "escape"];
const STYLE_ID = new Map(STYLES.map((style, i) => [style, i]));
const CONTEXTUAL_KEYWORDS = new Set(["async", "await", "let", "of", "yield", "static", "get", "set"]);
const TAB_WIDTH = 4;

function styleOf(token: Token, previous: Token | undefined, code: string): CodeStyle {
  const type = token.type;
  if (type.keyword !== undefined) return "keyword";
  if (type === tokTypes.string || type === tokTypes.template || type === tokTypes.backQuote || type === tokTypes.invalidTemplate) return "string";
  if (type === tokTypes.num) return "number";
  if (type === tokTypes.regexp) return "regexp";
  if (type === tokTypes.name) {
    if (previous !== undefined && (previous.type === tokTypes.dot || previous.type === tokTypes.questionDot)) return "property";
    const name = code.slice(token.start, token.end);
    if (name === "wf") return "wf";
    if (CONTEXTUAL_KEYWORDS.has(name)) return "keyword";
  }
  return "plain";
}

/** A style id per UTF-16 unit of `code`. Code that does not tokenize stays plain from the error on. */
function styleMap(code: string): Uint8Array {
  const map = new Uint8Array(code.length);
  const paint = (start: number, end: number, style: CodeStyle) => map.fill(STYLE_ID.get(style) ?? 0, start, end);
  try {
    let previous: Token | undefined;
    const tokens = tokenizer(code, {
      ecmaVersion: "latest",
      allowHashBang: true,
      onComment: (_block, _text, start, end) => paint(start, end, "comment"),
    });
    for (const token of tokens) {
      const style = styleOf(token, previous, code);
      if (style !== "plain") paint(token.start, token.end, style);
      previous = token;
    }
  } catch {
    // Edited code may not parse yet; what was tokenized keeps its colors and the rest reads plain.
  }
  return map;
}

/** Splits code into lines of styled segments, with invisible characters escaped and tabs expanded. */
export function styleCode(code: string): StyledLine[] {
  const map = styleMap(code);
  const lines: StyledLine[] = [];
  let offset = 0;
  for (const raw of code.split("\n")) {
    // A CRLF line ending is invisible and harmless to the meaning; the terminal must not get the CR.
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const segments: Segment[] = [];
    let column = 0;
    let index = offset;
    const push = (text: string, style: CodeStyle) => {
      const last = segments.at(-1);
      if (last !== undefined && last.style === style && style !== "escape") segments[segments.length - 1] = { text: last.text + text, style };
      else segments.push({ text, style });
    };
    for (const ch of line) {
      const style = STYLES[map[index] ?? 0] ?? "plain";
      if (ch === "\t") {
        const spaces = TAB_WIDTH - (column % TAB_WIDTH);
        push(" ".repeat(spaces), style);
        column += spaces;
      } else if (isUnsafeCharacter(ch)) {
        const escaped = escapeForDisplay(ch);
        push(escaped, "escape");
        column += escaped.length;
      } else {
        push(ch, style);
        column += charWidth(ch);
      }
      index += ch.length;
    }
    lines.push(segments);
    offset += raw.length + 1;
  }
  return lines;
}

/** Wraps one styled line into rows of at most `width` columns; an escape is never split. */
export function wrapStyledLine(line: StyledLine, width: number): StyledLine[] {
  const rows: Segment[][] = [[]];
  let used = 0;
  const current = () => rows[rows.length - 1] as Segment[];
  const append = (text: string, style: CodeStyle) => {
    const row = current();
    const last = row.at(-1);
    if (last !== undefined && last.style === style && style !== "escape") row[row.length - 1] = { text: last.text + text, style };
    else row.push({ text, style });
  };
  for (const segment of line) {
    if (segment.style === "escape") {
      if (used + segment.text.length > width && used > 0) {
        rows.push([]);
        used = 0;
      }
      append(segment.text, "escape");
      used += segment.text.length;
      continue;
    }
    for (const ch of segment.text) {
      const w = charWidth(ch);
      if (used + w > width && used > 0) {
        rows.push([]);
        used = 0;
      }
      append(ch, segment.style);
      used += w;
    }
  }
  return rows;
}

/** The plain text of a styled line, as it is drawn. */
export function styledText(line: StyledLine): string {
  return line.map((segment) => segment.text).join("");
}
