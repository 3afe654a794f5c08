// A one-line text field: a label, what was typed so far and a block cursor. Long input scrolls so
// its end (where typing happens) stays visible. Keys are handled by the screen that owns it.
import { Text } from "ink";
import { displayText } from "./format.js";
import { textWidth } from "./text-fit.js";

export interface TextPromptProps {
  readonly label: string;
  readonly value: string;
  readonly hint: string;
  readonly width: number;
}

/** "Reason: too many agents█  (Enter send · Esc cancel)". */
export function TextPrompt({ label, value, hint, width }: TextPromptProps) {
  const room = Math.max(8, width - textWidth(label) - textWidth(hint) - 4);
  const safe = displayText(value).replace(/\n/g, " ");
  let shown = safe;
  while (textWidth(shown) > room - 1) shown = shown.slice(1);
  const cut = shown.length < safe.length;
  return (
    <Text wrap="truncate-end">
      <Text bold color="yellow">
        {label}
      </Text>{" "}
      {cut ? <Text dimColor>…</Text> : null}
      {cut ? shown.slice(1) : shown}
      <Text inverse> </Text>
      {"  "}
      <Text dimColor>{hint}</Text>
    </Text>
  );
}
