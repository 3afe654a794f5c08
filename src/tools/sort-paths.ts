// One order for every listing, the same on every machine: by Unicode code point (localeCompare
// depends on the locale, and plain `<` on UTF-16 code units puts U+10000 before U+E000).

/** Compares two strings by code point. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x === y) continue;
    // Below the surrogate range code units are code points; only there can the two orders differ.
    if (x < 0xd800 && y < 0xd800) return x - y;
    return (a.codePointAt(index) ?? 0) - (b.codePointAt(index) ?? 0);
  }
  return a.length - b.length;
}
