// string-width as the bundle hands it to Ink and its helpers (widest-line, cli-truncate): the
// same answers, without grapheme segmentation for text that is all narrow characters.
//
// Ink measures every text node with string-width on every frame: Yoga's measure callback and the
// renderer's wrap check, each time the text changed. A line with one "·" or "─" in it (a pane's
// title, the header, the progress bar, the list of agents without a pane) left string-width's
// ASCII fast path for Intl.Segmenter and an emoji regex per grapheme, which made text measuring
// most of Yoga's layout time in the 64-pane benchmark (issue 13, benchmark 4). scripts/bundle.mjs
// points the bundle's `string-width` imports here; everything else goes to string-width itself.
import stringWidth, { type Options } from "string-width";
import { NARROW_TEXT } from "./narrow-text.js";

/** Colour and style sequences only (ESC [ … m): what Ink's nested <Text> styles put in a line. */
const SGR = /\x1b\[[0-9;]*m/g;

export default function fastStringWidth(text: string, options?: Options): number {
  // Ambiguous characters ("·", "…", box drawing) are narrow only under string-width's default.
  const defaults = options === undefined || (options.ambiguousIsNarrow !== false && options.countAnsiEscapeCodes !== true);
  if (defaults && typeof text === "string") {
    if (NARROW_TEXT.test(text)) return text.length;
    if (text.includes("\x1b")) {
      const plain = text.replace(SGR, "");
      // Any other escape (a cursor move, a link) is string-width's to strip.
      if (!plain.includes("\x1b") && NARROW_TEXT.test(plain)) return plain.length;
    }
  }
  return stringWidth(text, options);
}
