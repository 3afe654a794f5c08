// A line diff between a rejected workflow and its revision, so the person reviews what changed
// instead of reading the whole program again. Workflows are at most a few thousand lines, so a
// longest-common-subsequence table over the part between the common head and tail is cheap.

export type DiffLine =
  | { readonly kind: "same"; readonly oldLine: number; readonly newLine: number; readonly text: string }
  | { readonly kind: "del"; readonly oldLine: number; readonly text: string }
  | { readonly kind: "add"; readonly newLine: number; readonly text: string };

/** Past this many table cells the middle is shown as removed-then-added (still correct, less neat). */
const MAX_CELLS = 4_000_000;

/** Every line of both versions, in order, marked same / del / add (line numbers are 1-based). */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = oldText.split("\n");
  const b = newText.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail += 1;

  const out: DiffLine[] = [];
  for (let i = 0; i < head; i += 1) out.push({ kind: "same", oldLine: i + 1, newLine: i + 1, text: a[i] ?? "" });
  out.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head));
  for (let k = tail; k > 0; k -= 1) {
    const i = a.length - k;
    const j = b.length - k;
    out.push({ kind: "same", oldLine: i + 1, newLine: j + 1, text: a[i] ?? "" });
  }
  return out;
}

function middle(a: readonly string[], b: readonly string[], offset: number): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const out: DiffLine[] = [];
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    a.forEach((text, i) => out.push({ kind: "del", oldLine: offset + i + 1, text }));
    b.forEach((text, j) => out.push({ kind: "add", newLine: offset + j + 1, text }));
    return out;
  }
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..], one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      lcs[i * width + j] = a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", oldLine: offset + i + 1, newLine: offset + j + 1, text: a[i] ?? "" });
      i += 1;
      j += 1;
    } else if (i < n && (j >= m || (lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0))) {
      // Removed lines first on a tie, as in `git diff`.
      out.push({ kind: "del", oldLine: offset + i + 1, text: a[i] ?? "" });
      i += 1;
    } else {
      out.push({ kind: "add", newLine: offset + j + 1, text: b[j] ?? "" });
      j += 1;
    }
  }
  return out;
}

/** How many lines were added and removed. */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const line of lines) {
    if (line.kind === "add") added += 1;
    else if (line.kind === "del") removed += 1;
  }
  return { added, removed };
}
