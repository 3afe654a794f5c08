// A one-line text field: a label, what was typed so far and a block cursor. Long input scrolls so
// its end (where typing happens) stays visible. Keys are handled by the screen that owns it
// (approval-keys.ts), which applies every keystroke to the latest text, however fast they come.
import { Text } from "ink";
import { displayText } from "./format.js";
import { charWidth, textWidth } from "./text-fit.js";

export interface TextPromptProps {
  readonly label: string;
  readonly value: string;
  readonly hint: string;
  readonly width: number;
}

/**
 * The end of `text` that fits in `room` columns, walking back from the end once: a pasted
 * megabyte costs one pass per frame, not a pass per character cut.
 */
export function visibleTail(text: string, room: number): { readonly shown: string; readonly cut: boolean } {
  if (textWidth(text) <= room) return { shown: text, cut: false };
  // One column goes to the "…" that says the start is cut.
  const limit = room - 1;
  let start = text.length;
  let used = 0;
  while (start > 0) {
    let from = start - 1;
    const code = text.charCodeAt(from);
    // A low surrogate belongs with the high one before it: never split a code point.
    if (code >= 0xdc00 && code <= 0xdfff && from > 0) {
      const high = text.charCodeAt(from - 1);
      if (high >= 0xd800 && high <= 0xdbff) from -= 1;
    }
    const width = charWidth(text.slice(from, start));
    if (used + width > limit) break;
    used += width;
    start = from;
  }
  return { shown: text.slice(start), cut: true };
}

/** "Reason: too many agents█  (Enter send · Esc cancel)". */
export function TextPrompt({ label, value, hint, width }: TextPromptProps) {
  const room = Math.max(8, width - textWidth(label) - textWidth(hint) - 4);
  // The cursor takes the last column of the room.
  const { shown, cut } = visibleTail(displayText(value).replace(/\n/g, " "), room - 1);
  return (
    <Text wrap="truncate-end">
      <Text bold color="yellow">
        {label}
      </Text>{" "}
      {cut ? <Text dimColor>…</Text> : null}
      {shown}
      <Text inverse> </Text>
      {"  "}
      <Text dimColor>{hint}</Text>
    </Text>
  );
}
