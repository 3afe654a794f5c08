// Ink's measure-text as the bundle hands it to Ink (scripts/bundle.mjs): the same answers, from a
// cache that cannot grow without end.
//
// Ink 6.8 keeps the size of every text it has ever measured in a module-level Map that is never
// emptied. A live view measures each pane's streamed lines anew on every frame, so that Map held
// every line ever shown: rendering 18 changing lines 12,000 times grew the heap by 37 MB, about
// 3 KB a frame, which at 4–8 frames a second is 45–90 MB an hour of a long run. Here the cache is
// emptied when it reaches CACHE_LIMIT entries: a frame measures at most a few hundred texts, so
// the only cost is measuring them once more after a clear.
import stringWidth from "./fast-string-width.js";

export const CACHE_LIMIT = 4096;

export interface TextSize {
  readonly width: number;
  readonly height: number;
}

const cache = new Map<string, TextSize>();

/** Columns of the widest line and the number of lines, as Ink's own measure-text answers. */
export default function measureText(text: string): TextSize {
  if (text.length === 0) return { width: 0, height: 0 };
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  const lines = text.split("\n");
  let width = 0;
  for (const line of lines) width = Math.max(width, stringWidth(line));
  const size = { width, height: lines.length };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, size);
  return size;
}

/** How many texts the cache holds now (for tests). */
export function cachedTexts(): number {
  return cache.size;
}
