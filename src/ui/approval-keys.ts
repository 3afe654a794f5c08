// The approval screen's keys as one pure step: the mode the screen is in and one input event go
// in; the next mode and what to do come out. The screen keeps the mode in a ref and feeds every
// event through here, so keys that arrive before a re-render see the mode the previous key left
// (issue 9: `r`, a reason and Enter in one paste were sent as "rejected without a reason"), and
// several keys in one event (a paste, a fast typist, `tmux send-keys`) each count.

export type ApprovalMode =
  | { readonly kind: "keys" }
  | { readonly kind: "reject"; readonly text: string }
  | { readonly kind: "save"; readonly text: string; readonly confirm: string | undefined };

export type ScrollMove = "line-up" | "line-down" | "page-up" | "page-down" | "top" | "bottom";

export type KeyEffect =
  | { readonly type: "approve" }
  | { readonly type: "reject"; readonly reason: string }
  | { readonly type: "stop" }
  | { readonly type: "edit" }
  | { readonly type: "save"; readonly path: string; readonly overwrite: boolean }
  | { readonly type: "scroll"; readonly move: ScrollMove }
  | { readonly type: "toggle-diff" };

/** The part of Ink's `Key` this screen reads. */
export interface KeyFlags {
  readonly upArrow: boolean;
  readonly downArrow: boolean;
  readonly pageUp: boolean;
  readonly pageDown: boolean;
  readonly home: boolean;
  readonly end: boolean;
  readonly return: boolean;
  readonly escape: boolean;
  readonly backspace: boolean;
  readonly delete: boolean;
  readonly ctrl: boolean;
  readonly meta: boolean;
}

/** One keystroke, whether it came alone or inside a longer input event. */
type Stroke =
  | { readonly kind: "char"; readonly char: string }
  | { readonly kind: "newline" }
  | { readonly kind: "enter" }
  | { readonly kind: "erase" }
  | { readonly kind: "clear" }
  | { readonly kind: "escape" }
  | { readonly kind: "scroll"; readonly move: ScrollMove };

/** The keystrokes in one input event: Ink hands a burst of typed or pasted keys over as one string. */
function strokesOf(input: string, key: KeyFlags): Stroke[] {
  if (key.escape) return [{ kind: "escape" }];
  if (key.return) return [{ kind: "enter" }];
  if (key.backspace || key.delete) return [{ kind: "erase" }];
  if (key.upArrow) return [{ kind: "scroll", move: "line-up" }];
  if (key.downArrow) return [{ kind: "scroll", move: "line-down" }];
  if (key.pageUp) return [{ kind: "scroll", move: "page-up" }];
  if (key.pageDown) return [{ kind: "scroll", move: "page-down" }];
  if (key.home) return [{ kind: "scroll", move: "top" }];
  if (key.end) return [{ kind: "scroll", move: "bottom" }];
  if (key.ctrl && input === "u") return [{ kind: "clear" }];
  if (key.ctrl || key.meta) return [];
  const strokes: Stroke[] = [];
  for (const char of input) {
    if (char === "\r") strokes.push({ kind: "enter" });
    else if (char === "\n") strokes.push({ kind: "newline" });
    else if (char === "\x7f" || char === "\b") strokes.push({ kind: "erase" });
    else if (char === "\x15") strokes.push({ kind: "clear" });
    // Other control characters have no meaning in a one-line field or as a key.
    // eslint-disable-next-line no-control-regex
    else if (!/[\x00-\x1f\x7f-\x9f]/.test(char)) strokes.push({ kind: "char", char });
  }
  return strokes;
}

const SCROLL_CHARS: Readonly<Record<string, ScrollMove>> = { k: "line-up", j: "line-down", " ": "page-down", g: "top", G: "bottom" };

export interface KeyStep {
  readonly mode: ApprovalMode;
  readonly effects: readonly KeyEffect[];
}

/**
 * Applies one input event. `defaultSavePath` fills the save field when `s` opens it.
 *
 * A key that decides (approve, Enter, edit, stop) counts only when it is the whole event: several
 * keys at once are a paste or typing that outran the screen, and a paste must never approve a
 * workflow. Such an event may still open a field with its first key (`r`, `s`), and the rest
 * goes into the field. Keys after a submitting Enter in the same event are dropped: they were
 * typed for a screen that is not there yet.
 */
export function applyKeys(mode: ApprovalMode, input: string, key: KeyFlags, defaultSavePath: string): KeyStep {
  const strokes = strokesOf(input, key);
  const burst = strokes.length > 1;
  const effects: KeyEffect[] = [];
  let current = mode;
  for (const [index, stroke] of strokes.entries()) {
    if (current.kind === "keys") {
      if (stroke.kind === "scroll") {
        effects.push({ type: "scroll", move: stroke.move });
        continue;
      }
      if (stroke.kind === "enter") {
        if (!burst) effects.push({ type: "approve" });
        continue;
      }
      if (stroke.kind !== "char") continue;
      const move = SCROLL_CHARS[stroke.char];
      if (move !== undefined) effects.push({ type: "scroll", move });
      else if (stroke.char === "d") effects.push({ type: "toggle-diff" });
      else if (stroke.char === "r" && index === 0) current = { kind: "reject", text: "" };
      else if (stroke.char === "s" && index === 0) current = { kind: "save", text: defaultSavePath, confirm: undefined };
      else if (!burst && stroke.char === "a") effects.push({ type: "approve" });
      else if (!burst && stroke.char === "e") effects.push({ type: "edit" });
      else if (!burst && stroke.char === "q") effects.push({ type: "stop" });
      continue;
    }
    switch (stroke.kind) {
      case "escape":
        current = { kind: "keys" };
        continue;
      case "enter": {
        if (current.kind === "reject") {
          effects.push({ type: "reject", reason: current.text.trim() });
          return { mode: { kind: "keys" }, effects };
        }
        const path = current.text.trim();
        if (path === "") continue;
        // The field stays until the save answers: "exists" asks again, anything else closes it.
        effects.push({ type: "save", path, overwrite: current.confirm === path });
        return { mode: current, effects };
      }
      case "scroll":
        continue;
      case "char":
      case "newline":
      case "erase":
      case "clear": {
        const text = editField(current.text, stroke);
        current = current.kind === "reject" ? { kind: "reject", text } : { kind: "save", text, confirm: undefined };
        continue;
      }
      default: {
        const unreachable: never = stroke;
        return unreachable;
      }
    }
  }
  return { mode: current, effects };
}

/** One keystroke applied to a one-line field; a pasted line break becomes a space. */
function editField(text: string, stroke: Extract<Stroke, { kind: "char" | "newline" | "erase" | "clear" }>): string {
  switch (stroke.kind) {
    case "char":
      return text + stroke.char;
    case "newline":
      return `${text} `;
    case "erase":
      // By code point, so an emoji goes whole.
      return Array.from(text).slice(0, -1).join("");
    case "clear":
      return "";
  }
}
