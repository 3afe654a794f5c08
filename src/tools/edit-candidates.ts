// When edit_file's old text is not in the file, the model usually got whitespace or one word
// wrong. The lines most like its first line are shown, numbered, so it can copy the real text.

/** Letter pairs of a line with its spacing ignored: the Dice coefficient compares these. */
function bigrams(text: string): Map<string, number> {
  const flat = text.replace(/\s+/g, " ").trim();
  const out = new Map<string, number>();
  for (let i = 0; i < flat.length - 1; i += 1) {
    const pair = flat.slice(i, i + 2);
    out.set(pair, (out.get(pair) ?? 0) + 1);
  }
  return out;
}

function similarity(a: Map<string, number>, b: Map<string, number>): number {
  let shared = 0;
  let sizeA = 0;
  let sizeB = 0;
  for (const count of a.values()) sizeA += count;
  for (const count of b.values()) sizeB += count;
  for (const [pair, count] of a) shared += Math.min(count, b.get(pair) ?? 0);
  return sizeA + sizeB === 0 ? 0 : (2 * shared) / (sizeA + sizeB);
}

/** Up to `max` places ("12: text") where a line looks like the first non-blank line of `wanted`. */
export function nearestCandidates(content: string, wanted: string, max = 3): string[] {
  const first = wanted.split("\n").find((line) => line.trim() !== "") ?? wanted;
  const target = bigrams(first);
  const lines = content.split("\n");
  const scored = lines
    .map((line, index) => ({ index, line, score: similarity(target, bigrams(line)) }))
    .filter((entry) => entry.score >= 0.5)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, max);
  return scored.map((entry) => `${entry.index + 1}: ${entry.line.length > 200 ? `${entry.line.slice(0, 199)}…` : entry.line}`);
}

/** 1-based line numbers where each occurrence of `needle` starts. */
export function occurrenceLines(content: string, needle: string): number[] {
  const lines: number[] = [];
  let from = 0;
  for (;;) {
    const at = content.indexOf(needle, from);
    if (at === -1) return lines;
    lines.push(content.slice(0, at).split("\n").length);
    from = at + Math.max(1, needle.length);
  }
}
