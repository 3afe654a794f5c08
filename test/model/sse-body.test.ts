import { describe, expect, it } from "vitest";
import { readSseBody } from "../../src/model/sse-body.js";

/** A body that arrives in exactly these byte pieces. */
function bodyOf(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

describe("readSseBody", () => {
  it("keeps a character whose UTF-8 bytes are split across chunks whole", async () => {
    const bytes = new TextEncoder().encode('data: {"t":"h\u00e9llo \u65e5\u672c \ud83d\ude00"}\n\ndata: [DONE]\n\n');
    // Cut inside é (2 bytes), inside 日 (3 bytes) and inside 😀 (4 bytes).
    const cuts = [13, 14, 21, 22, 28, 29, 30, bytes.length];
    const pieces: Uint8Array[] = [];
    let from = 0;
    for (const cut of cuts) {
      pieces.push(bytes.slice(from, cut));
      from = cut;
    }
    const data: string[] = [];
    const result = await readSseBody(bodyOf(pieces), {
      maxBufferChars: 1000,
      onEvent(event) {
        data.push(event.data);
        return event.data === "[DONE]" ? "stop" : undefined;
      },
    });
    expect(data).toEqual(['{"t":"h\u00e9llo \u65e5\u672c \ud83d\ude00"}', "[DONE]"]);
    expect(result.events).toBe(2);
    expect(result.head.startsWith('data: {"t":"h\u00e9llo')).toBe(true);
  });

  it("passes every event of the body in order", async () => {
    const data: string[] = [];
    await readSseBody(bodyOf([new TextEncoder().encode('data: {"a":1}\n\ndata: {"b":2}\n\n')]), {
      maxBufferChars: 1000,
      onEvent(event) {
        data.push(event.data);
      },
    });
    expect(data).toEqual(['{"a":1}', '{"b":2}']);
  });
});
