// Splits streamed `content` into answer and thinking when a server puts reasoning inside the text:
// `<think>…</think>` (DeepSeek R1 on Groq and Together, qwen3 on Ollama) or gpt-oss's harmony
// channels (`<|channel|>analysis<|message|>…<|start|>assistant<|channel|>final<|message|>…`, from
// llama.cpp without its harmony parser). It works on deltas, not on the finished text, so reasoning
// is thinking from its first byte and never reaches the live pane as answer, even when a tag is
// split across two deltas.

export interface SplitPiece {
  readonly kind: "text" | "thinking";
  readonly text: string;
}

type Mode = "text" | "thinking";

/** Each marker switches the mode (or leaves it, for markers that only frame a message) and is dropped. */
const MARKERS: ReadonlyArray<{ readonly tag: string; readonly mode: Mode | undefined }> = [
  { tag: "<think>", mode: "thinking" },
  { tag: "</think>", mode: "text" },
  { tag: "<|channel|>analysis<|message|>", mode: "thinking" },
  { tag: "<|channel|>commentary<|message|>", mode: "thinking" },
  { tag: "<|channel|>final<|message|>", mode: "text" },
  { tag: "<|start|>assistant", mode: undefined },
  { tag: "<|end|>", mode: undefined },
];

export interface ContentSplitter {
  /** Feeds one content delta; returns what can be shown now. */
  push(delta: string): SplitPiece[];
  /** Releases text held back because it could have been the start of a marker. */
  flush(): SplitPiece[];
}

export function createContentSplitter(): ContentSplitter {
  let mode: Mode = "text";
  // Text that ends with a possible start of a marker ("<thi") waits for the next delta.
  let held = "";
  // Answer text right after a thinking block starts with the newlines that closed it.
  let trimLead = false;

  function emit(pieces: SplitPiece[], text: string): void {
    let t = text;
    if (mode === "text" && trimLead) {
      t = t.replace(/^\s+/, "");
      if (t !== "") trimLead = false;
    }
    if (t === "") return;
    const last = pieces.at(-1);
    if (last !== undefined && last.kind === mode) pieces[pieces.length - 1] = { kind: mode, text: last.text + t };
    else pieces.push({ kind: mode, text: t });
  }

  return {
    push(delta) {
      const pieces: SplitPiece[] = [];
      let buffer = held + delta;
      held = "";
      // Fast path: no "<" means no marker can start here.
      for (;;) {
        const lt = buffer.indexOf("<");
        if (lt === -1) {
          emit(pieces, buffer);
          return pieces;
        }
        const rest = buffer.slice(lt);
        const marker = MARKERS.find((m) => rest.startsWith(m.tag));
        if (marker !== undefined) {
          emit(pieces, buffer.slice(0, lt));
          if (marker.mode !== undefined) {
            if (mode === "thinking" && marker.mode === "text") trimLead = true;
            mode = marker.mode;
          }
          buffer = rest.slice(marker.tag.length);
          continue;
        }
        if (MARKERS.some((m) => m.tag.startsWith(rest))) {
          emit(pieces, buffer.slice(0, lt));
          held = rest;
          return pieces;
        }
        emit(pieces, buffer.slice(0, lt + 1));
        buffer = buffer.slice(lt + 1);
      }
    },
    flush() {
      const pieces: SplitPiece[] = [];
      emit(pieces, held);
      held = "";
      return pieces;
    },
  };
}
