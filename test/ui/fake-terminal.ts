// Fake terminal streams for Ink: an output of fixed size that records what is written, and an
// input that tests type into. Nothing needs a TTY, so these tests run anywhere.
import { EventEmitter } from "node:events";

export interface FakeOutput {
  readonly stream: NodeJS.WriteStream;
  /** Everything written so far. */
  text(): string;
  /** Each write, in order. */
  readonly writes: string[];
}

export function fakeOutput(columns: number, rows: number): FakeOutput {
  const writes: string[] = [];
  const emitter = new EventEmitter();
  const stream = Object.assign(emitter, {
    columns,
    rows,
    isTTY: false,
    writable: true,
    write(chunk: string | Uint8Array, ...rest: unknown[]) {
      writes.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const callback = rest.find((r): r is () => void => typeof r === "function");
      callback?.();
      return true;
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => writes.join(""), writes };
}

export interface FakeInput {
  readonly stream: NodeJS.ReadStream;
  /** Types keys, as a terminal in raw mode would send them. */
  type(data: string): void;
}

export function fakeInput(): FakeInput {
  let pending: string[] = [];
  const emitter = new EventEmitter();
  const stream = Object.assign(emitter, {
    isTTY: true,
    setEncoding: () => stream,
    setRawMode: () => stream,
    ref: () => stream,
    unref: () => stream,
    resume: () => stream,
    pause: () => stream,
    read: () => {
      const next = pending.shift();
      return next ?? null;
    },
  });
  return {
    stream: stream as unknown as NodeJS.ReadStream,
    type(data) {
      pending.push(data);
      emitter.emit("readable");
      pending = [];
    },
  };
}
