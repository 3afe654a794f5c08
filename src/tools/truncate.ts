// Output limits as data: the result says which limit was hit and the totals, so every tool can
// write a notice with exact numbers instead of a vague "output truncated".

export interface TruncationLimits {
  readonly maxLines: number;
  readonly maxBytes: number;
}

export interface TruncationResult {
  /** The head that fits; the input unchanged when nothing was cut. */
  readonly text: string;
  readonly truncated: boolean;
  /** The limit that cut the text, or null when it fit. */
  readonly by: "lines" | "bytes" | null;
  readonly totalLines: number;
  readonly totalBytes: number;
  /** Complete lines in `text`. */
  readonly shownLines: number;
  /** True when `text` ends in part of a line: only when the first line alone is over `maxBytes`. */
  readonly partialLine: boolean;
}

// Keeps the head of `text` within both limits, cutting at line ends (inside only a huge first line).
export function truncateText(text: string, limits: TruncationLimits): TruncationResult {
  const totalBytes = Buffer.byteLength(text, "utf8");
  const lines = splitLines(text);
  const totalLines = lines.length;
  if (totalLines <= limits.maxLines && totalBytes <= limits.maxBytes) {
    return { text, truncated: false, by: null, totalLines, totalBytes, shownLines: totalLines, partialLine: false };
  }

  const kept: string[] = [];
  let bytes = 0;
  let by: "lines" | "bytes" = "lines";
  for (const line of lines) {
    if (kept.length >= limits.maxLines) break;
    // Each kept line after the first costs a "\n" separator too.
    const cost = Buffer.byteLength(line, "utf8") + (kept.length > 0 ? 1 : 0);
    if (bytes + cost > limits.maxBytes) {
      by = "bytes";
      break;
    }
    kept.push(line);
    bytes += cost;
  }

  if (kept.length === 0 && by === "bytes") {
    const head = cutUtf8(lines[0] ?? "", limits.maxBytes);
    return { text: head, truncated: true, by, totalLines, totalBytes, shownLines: 0, partialLine: true };
  }
  return { text: kept.join("\n"), truncated: true, by, totalLines, totalBytes, shownLines: kept.length, partialLine: false };
}

// Splits on "\n"; a final newline ends the last line rather than starting an empty one.
export function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

// The longest prefix of `text` that is at most `maxBytes` of UTF-8, never half a character.
export function cutUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes);
  // Continuation bytes look like 10xxxxxx; back up to the first byte of the character.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString("utf8");
}

// Cuts a line past `maxChars` characters with a marker giving its full size.
export function cutLongLine(line: string, maxChars: number, fullBytes?: number): string {
  // `fullBytes` comes from callers that read only part of the line: they know its bytes, not its characters.
  if (line.length <= maxChars) return line;
  let end = maxChars;
  // Don't split a surrogate pair: that would leave a lone half that renders as garbage.
  const code = line.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const full = fullBytes === undefined ? `${line.length} characters` : `${fullBytes} bytes`;
  return `${line.slice(0, end)} … [line cut: first ${maxChars} characters of ${full} shown]`;
}

// Renders a byte count for notices: "812 B", "50 KB", "2 MB".
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${trimFraction(bytes / 1024)} KB`;
  return `${trimFraction(bytes / (1024 * 1024))} MB`;
}

function trimFraction(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
