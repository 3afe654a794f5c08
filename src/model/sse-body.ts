// Reads a response body as server-sent events. We read the body ourselves instead of through the
// SDK's Stream because the SDK throws on a chunk that carries an `error` before we see the rest of
// that chunk (OpenRouter puts the attempt's usage there), hides comments and bytes from the idle
// timer, and reports an HTML page as an empty stream.
import { createParser, type EventSourceMessage } from "eventsource-parser";

export interface SseBodyOptions {
  /** Called for each event; throwing ends the read with that error. "stop" ends it quietly. */
  readonly onEvent: (event: EventSourceMessage) => "stop" | void;
  /** Longest event or line held while incomplete; a body past it is not SSE from a model server. */
  readonly maxBufferChars: number;
}

export interface SseBodyResult {
  readonly events: number;
  /** The first characters of the body, for telling an HTML page from an empty stream. */
  readonly head: string;
}

const HEAD_CHARS = 512;

export async function readSseBody(body: ReadableStream<Uint8Array>, options: SseBodyOptions): Promise<SseBodyResult> {
  // Decoded here rather than through a TextDecoderStream: with 64 answers streaming, that extra
  // stage (a writable, a transform and a readable per chunk) was about a tenth of the CLI's work
  // per chunk (issue 13, benchmark 4). `stream: true` keeps a character split across chunks whole.
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let events = 0;
  let head = "";
  let stopped = false;
  let failure: unknown;
  const parser = createParser({
    maxBufferSize: options.maxBufferChars,
    onEvent(event) {
      if (stopped) return;
      events += 1;
      try {
        if (options.onEvent(event) === "stop") stopped = true;
      } catch (error) {
        failure ??= error;
        stopped = true;
      }
    },
    onError(error) {
      if (error.type === "max-buffer-size-exceeded") {
        failure ??= new Error(`the server sent an event longer than ${options.maxBufferChars} characters`);
        stopped = true;
      }
      // Unknown fields and bad retry values are tolerated, as browsers do.
    },
  });
  try {
    while (!stopped) {
      const { value: bytes, done } = await reader.read();
      if (done) break;
      const value = decoder.decode(bytes, { stream: true });
      if (head.length < HEAD_CHARS) head += value.slice(0, HEAD_CHARS - head.length);
      parser.feed(value);
    }
    const rest = decoder.decode();
    if (!stopped && rest !== "") parser.feed(rest);
    if (failure !== undefined) throw failure;
    return { events, head };
  } finally {
    // Stops the download when we end early ([DONE], an error, a limit); harmless after the end.
    reader.cancel().catch(() => undefined);
  }
}
