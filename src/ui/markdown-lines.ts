// The report rendered for the terminal: headings, emphasis, inline code, lists, quotes, fenced code
// and tables, wrapped to the width with hanging indents. It is a reader's view; the exact markdown
// still goes to stdout and -o. The input is model text, so control sequences are stripped first.
import type { ChalkInstance } from "chalk";
import { styleCode, type CodeStyle } from "./code-lines.js";
import { displayText } from "./format.js";
import { charWidth, textWidth, wrapLine } from "./text-fit.js";

type InlineStyle = "plain" | "bold" | "italic" | "code" | "link" | "strike" | "dim";

interface Run {
  readonly text: string;
  readonly style: InlineStyle;
}

const INLINE = /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)|\*\*(?=\S)([\s\S]*?\S)\*\*|__(?=\S)([\s\S]*?\S)__|~~(?=\S)([\s\S]*?\S)~~|\*(?=[^\s*])([^*]*?[^\s*])\*|(?<![\w])_(?=[^\s_])([^_]*?[^\s_])_(?![\w])|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Splits one line of inline markdown into styled runs (no nesting: the outer style wins). */
export function inlineRuns(text: string): Run[] {
  const runs: Run[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const at = m.index ?? 0;
    if (at > last) runs.push({ text: text.slice(last, at), style: "plain" });
    if (m[2] !== undefined) runs.push({ text: m[2].trim() === "" ? m[2] : m[2].replace(/^ (.*) $/, "$1"), style: "code" });
    else if (m[3] !== undefined || m[4] !== undefined) runs.push({ text: m[3] ?? m[4] ?? "", style: "bold" });
    else if (m[5] !== undefined) runs.push({ text: m[5], style: "strike" });
    else if (m[6] !== undefined || m[7] !== undefined) runs.push({ text: m[6] ?? m[7] ?? "", style: "italic" });
    else if (m[8] !== undefined) {
      runs.push({ text: m[8], style: "link" });
      if (m[9] !== undefined && m[9] !== m[8]) runs.push({ text: ` (${m[9]})`, style: "dim" });
    }
    last = at + m[0].length;
  }
  if (last < text.length) runs.push({ text: text.slice(last), style: "plain" });
  return runs;
}

function paintInline(c: ChalkInstance, run: Run): string {
  switch (run.style) {
    case "plain":
      return run.text;
    case "bold":
      return c.bold(run.text);
    case "italic":
      return c.italic(run.text);
    case "code":
      return c.cyan(run.text);
    case "link":
      return c.underline(run.text);
    case "strike":
      return c.strikethrough(run.text);
    case "dim":
      return c.dim(run.text);
    default: {
      const unreachable: never = run.style;
      return unreachable;
    }
  }
}

/** Word-wraps styled runs into rows of at most `width` columns. */
function wrapRuns(runs: readonly Run[], width: number): Run[][] {
  const rows: Run[][] = [[]];
  let used = 0;
  const row = () => rows[rows.length - 1] as Run[];
  const put = (text: string, style: InlineStyle) => {
    const current = row();
    const prev = current.at(-1);
    if (prev !== undefined && prev.style === style) current[current.length - 1] = { text: prev.text + text, style };
    else current.push({ text, style });
    used += textWidth(text);
  };
  const newRow = () => {
    const current = row();
    const prev = current.at(-1);
    if (prev !== undefined) current[current.length - 1] = { text: prev.text.trimEnd(), style: prev.style };
    rows.push([]);
    used = 0;
  };
  for (const run of runs) {
    for (const token of run.text.split(/(\s+)/)) {
      if (token === "") continue;
      if (/^\s+$/.test(token)) {
        if (used > 0 && used < width) put(" ", run.style);
        continue;
      }
      const w = textWidth(token);
      if (used + w > width && used > 0) newRow();
      if (w <= width) {
        put(token, run.style);
        continue;
      }
      for (const ch of token) {
        if (used + charWidth(ch) > width) newRow();
        put(ch, run.style);
      }
    }
  }
  return rows;
}

function paintRows(c: ChalkInstance, rows: readonly Run[][], first: string, rest: string): string[] {
  return rows.map((runs, i) => (i === 0 ? first : rest) + runs.map((run) => paintInline(c, run)).join(""));
}

const CODE_COLORS: Readonly<Record<CodeStyle, (c: ChalkInstance, text: string) => string>> = {
  plain: (_c, t) => t,
  keyword: (c, t) => c.magenta(t),
  string: (c, t) => c.green(t),
  number: (c, t) => c.yellow(t),
  comment: (c, t) => c.gray(t),
  regexp: (c, t) => c.red(t),
  wf: (c, t) => c.cyan(t),
  property: (c, t) => c.blue(t),
  escape: (c, t) => c.inverse(t),
};

function fencedCode(c: ChalkInstance, lines: readonly string[], language: string): string[] {
  const bar = c.dim("│ ");
  if (/^(js|javascript|mjs|cjs|json)$/i.test(language)) {
    return styleCode(lines.join("\n")).map((segments) => bar + segments.map((s) => CODE_COLORS[s.style](c, s.text)).join(""));
  }
  return lines.map((line) => bar + c.yellow(line));
}

type Align = "left" | "right" | "center";

function splitRow(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, "").replace(/\|$/, "");
  return trimmed.split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, "|"));
}

function table(c: ChalkInstance, header: string[], aligns: Align[], body: string[][], width: number): string[] {
  const columns = Math.max(header.length, ...body.map((r) => r.length));
  const plain = (cell: string) => inlineRuns(cell).map((r) => r.text).join("");
  const all = [header, ...body];
  const widths = Array.from({ length: columns }, (_, i) => Math.max(1, ...all.map((row) => textWidth(plain(row[i] ?? "")))));
  // Separators take 3 columns per cell plus one; the widest columns give way until it fits.
  const budget = width - (3 * columns + 1);
  while (widths.reduce((a, b) => a + b, 0) > budget && Math.max(...widths) > 3) {
    const widest = widths.indexOf(Math.max(...widths));
    widths[widest] = (widths[widest] ?? 4) - 1;
  }
  /** A cell's lines: styled when it fits its column, else wrapped plain (never cut: it is the report). */
  const cellLines = (text: string, i: number): Array<{ shown: string; width: number }> => {
    const w = widths[i] ?? 1;
    const flat = plain(text);
    if (textWidth(flat) <= w) return [{ shown: inlineRuns(text).map((run) => paintInline(c, run)).join(""), width: textWidth(flat) }];
    return wrapLine(flat, w).flatMap((line) => (textWidth(line) <= w ? [line] : wrapHard(line, w))).map((line) => ({ shown: line, width: textWidth(line) }));
  };
  const pad = (content: { shown: string; width: number } | undefined, i: number, bold: boolean) => {
    const w = widths[i] ?? 1;
    const room = w - (content?.width ?? 0);
    const align = aligns[i] ?? "left";
    const left = align === "right" ? room : align === "center" ? Math.floor(room / 2) : 0;
    const shown = content === undefined ? "" : bold ? c.bold(content.shown) : content.shown;
    return ` ${" ".repeat(left)}${shown}${" ".repeat(room - left)} `;
  };
  const line = (l: string, m: string, r: string) => c.dim(l + widths.map((w) => "─".repeat(w + 2)).join(m) + r);
  const row = (cells: string[], bold: boolean): string[] => {
    const parts = Array.from({ length: columns }, (_, i) => cellLines(cells[i] ?? "", i));
    const height = Math.max(1, ...parts.map((p) => p.length));
    return Array.from({ length: height }, (_, k) => c.dim("│") + parts.map((p, i) => pad(p[k], i, bold)).join(c.dim("│")) + c.dim("│"));
  };
  return [line("┌", "┬", "┐"), ...row(header, true), line("├", "┼", "┤"), ...body.flatMap((r) => row(r, false)), line("└", "┴", "┘")];
}

/** Splits a line into pieces of at most `width` columns, wherever that falls. */
function wrapHard(line: string, width: number): string[] {
  const out: string[] = [];
  let piece = "";
  let used = 0;
  for (const ch of line) {
    const w = charWidth(ch);
    if (used + w > width && piece !== "") {
      out.push(piece);
      piece = "";
      used = 0;
    }
    piece += ch;
    used += w;
  }
  if (piece !== "") out.push(piece);
  return out;
}

const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Renders markdown as terminal lines (ANSI styled by `c`), each at most `width` columns. */
export function renderMarkdown(markdown: string, width: number, c: ChalkInstance): string {
  const lines = displayText(markdown).replace(/\s+$/, "").split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    const fence = /^\s*(```+|~~~+)\s*([\w+-]*)/.exec(line);
    if (fence !== null) {
      const marker = fence[1] ?? "```";
      const code: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? "").trim().startsWith(marker)) code.push(lines[(i += 1) - 1] ?? "");
      out.push(...fencedCode(c, code, fence[2] ?? ""));
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading !== null) {
      const level = heading[1]?.length ?? 1;
      const runs = inlineRuns(heading[2] ?? "");
      const painted = wrapRuns(runs, width).map((row) => row.map((run) => paintInline(c, run)).join(""));
      for (const text of painted) out.push(level === 1 ? c.bold.underline(text) : level === 2 ? c.bold(text) : c.bold.dim(text));
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push(c.dim("─".repeat(Math.min(width, 60))));
      continue;
    }
    if (line.includes("|") && TABLE_SEPARATOR.test(lines[i + 1] ?? "")) {
      const header = splitRow(line);
      const aligns: Align[] = splitRow(lines[i + 1] ?? "").map((s) => (s.startsWith(":") && s.endsWith(":") ? "center" : s.endsWith(":") ? "right" : "left"));
      const body: string[][] = [];
      i += 2;
      while (i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== "") body.push(splitRow(lines[(i += 1) - 1] ?? ""));
      i -= 1;
      out.push(...table(c, header, aligns, body, width));
      continue;
    }
    const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
    if (quote !== null) {
      out.push(...paintRows(c, wrapRuns(inlineRuns(quote[1] ?? ""), width - 2), c.dim("│ "), c.dim("│ ")).map((l) => c.italic(l)));
      continue;
    }
    const item = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
    if (item !== null) {
      const indent = " ".repeat(Math.min(item[1]?.length ?? 0, 12));
      const marker = /\d/.test(item[2] ?? "") ? `${item[2]} ` : "• ";
      let text = item[3] ?? "";
      const task = /^\[([ xX])\]\s+(.*)$/.exec(text);
      const bullet = task !== null ? (task[1] === " " ? "☐ " : "☑ ") : marker;
      if (task !== null) text = task[2] ?? "";
      const hang = indent + " ".repeat(textWidth(bullet));
      out.push(...paintRows(c, wrapRuns(inlineRuns(text), Math.max(10, width - textWidth(hang))), indent + c.dim(bullet), hang));
      continue;
    }
    if (line.trim() === "") {
      if (out.length > 0 && out.at(-1) !== "") out.push("");
      continue;
    }
    out.push(...paintRows(c, wrapRuns(inlineRuns(line.trim()), width), "", ""));
  }
  return out.join("\n");
}
