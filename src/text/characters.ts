// The one table of characters that must not reach a person as they are: they drive a terminal,
// reorder what is shown, or draw as nothing. Every use goes by this table: stripped for a
// terminal (safe-text.ts), shown as an escape for display, and rejected in workflow code
// (workflow/validate.ts). Tab and newline are not in it: they are text.

export type CharacterKind = "control" | "bidi" | "invisible" | "line-break";

export interface CharacterRange {
  readonly from: number;
  readonly to: number;
  readonly kind: CharacterKind;
}

// Sorted by code point; why each range is here is written beside it.
export const UNSAFE_CHARACTERS: readonly CharacterRange[] = [
  // C0 controls before tab: NUL, BEL (ends an OSC sequence, rings the bell), BS (moves the cursor
  // back, so later text overwrites earlier text).
  { from: 0x00, to: 0x08, kind: "control" },
  // VT, FF and CR: move the cursor (CR returns to column 0, so "ok\rrm -rf /" shows only part).
  { from: 0x0b, to: 0x0d, kind: "control" },
  // SO/SI switch character sets, ESC starts every escape sequence (colours, OSC 52 clipboard
  // writes, OSC 8 links, window titles), and the rest of C0.
  { from: 0x0e, to: 0x1f, kind: "control" },
  // DEL and the C1 controls: U+009B is CSI and U+009D is OSC in their 8-bit forms, which some
  // terminals obey.
  { from: 0x7f, to: 0x9f, kind: "control" },
  // Soft hyphen: drawn as nothing except at a line break.
  { from: 0xad, to: 0xad, kind: "invisible" },
  // Arabic letter mark: a bidi mark like U+200F.
  { from: 0x61c, to: 0x61c, kind: "bidi" },
  // Hangul choseong and jungseong fillers: letters that draw as blank, so an identifier can look empty.
  { from: 0x115f, to: 0x1160, kind: "invisible" },
  // Mongolian vowel separator: zero width (it was a space character before Unicode 6.3).
  { from: 0x180e, to: 0x180e, kind: "invisible" },
  // Zero-width space, non-joiner and joiner: split or join words without showing anything.
  { from: 0x200b, to: 0x200d, kind: "invisible" },
  // Left-to-right and right-to-left marks.
  { from: 0x200e, to: 0x200f, kind: "bidi" },
  // Line and paragraph separators: JavaScript ends a line at them, most editors and terminals show nothing.
  { from: 0x2028, to: 0x2029, kind: "line-break" },
  // Bidi embeddings and overrides (U+202E reverses the rest of a line: Trojan Source, CVE-2021-42574).
  { from: 0x202a, to: 0x202e, kind: "bidi" },
  // Word joiner, invisible function application, times, separator and plus, and the unassigned U+2065
  // in that block (default-ignorable: drawn as nothing when it is assigned).
  { from: 0x2060, to: 0x2065, kind: "invisible" },
  // Bidi isolates (LRI, RLI, FSI, PDI).
  { from: 0x2066, to: 0x2069, kind: "bidi" },
  // Deprecated format characters (symmetric swapping, digit shapes): drawn as nothing.
  { from: 0x206a, to: 0x206f, kind: "invisible" },
  // Hangul filler: a letter that draws as blank.
  { from: 0x3164, to: 0x3164, kind: "invisible" },
  // Byte order mark / zero-width no-break space.
  { from: 0xfeff, to: 0xfeff, kind: "invisible" },
  // Halfwidth Hangul filler: a letter that draws as blank.
  { from: 0xffa0, to: 0xffa0, kind: "invisible" },
  // Tag characters: invisible copies of ASCII, used to smuggle instructions to models unseen.
  { from: 0xe0000, to: 0xe007f, kind: "invisible" },
  // Variation selectors supplement: invisible, and can carry hidden bytes one per character.
  { from: 0xe0100, to: 0xe01ef, kind: "invisible" },
];

/** The kind of an unsafe code point, or undefined for a character that may be shown as it is. */
export function characterKind(codePoint: number): CharacterKind | undefined {
  let low = 0;
  let high = UNSAFE_CHARACTERS.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = UNSAFE_CHARACTERS[middle] as CharacterRange;
    if (codePoint < range.from) high = middle - 1;
    else if (codePoint > range.to) low = middle + 1;
    else return range.kind;
  }
  return undefined;
}

const hex = (n: number): string => n.toString(16);

// One character class built from the table, so the regular expressions can never drift from it.
const CLASS = UNSAFE_CHARACTERS.map(({ from, to }) => (from === to ? `\\u{${hex(from)}}` : `\\u{${hex(from)}}-\\u{${hex(to)}}`)).join("");

/** A new global regular expression matching every character of the table (one code point each). */
export function unsafeCharacterPattern(): RegExp {
  return new RegExp(`[${CLASS}]`, "gu");
}

/** How a character is written when shown: `\x1b` up to U+00FF, `\u202e` in the basic plane, `\u{e0041}` above. */
export function escapeCodePoint(codePoint: number): string {
  if (codePoint <= 0xff) return `\\x${hex(codePoint).padStart(2, "0")}`;
  if (codePoint <= 0xffff) return `\\u${hex(codePoint).padStart(4, "0")}`;
  return `\\u{${hex(codePoint)}}`;
}

/** `U+202E`, the name of a code point in messages. */
export function codePointName(codePoint: number): string {
  return `U+${hex(codePoint).toUpperCase().padStart(4, "0")}`;
}
