// A command can print gigabytes. Its output is kept as a head and a tail of fixed size, so memory
// stays bounded while it runs, and what the model sees keeps both the start (what ran) and the end
// (the error, the summary), with a marker in between that says how much was left out.

export interface OutputCapLimits {
  readonly headBytes: number;
  readonly tailBytes: number;
}

export interface CappedOutput {
  push(chunk: Buffer): void;
  /** The output as text: whole, or head + marker + tail. */
  text(): string;
  readonly totalBytes: number;
}

export function createOutputCap(limits: OutputCapLimits): CappedOutput {
  const head: Buffer[] = [];
  let headSize = 0;
  // The tail is a list of recent chunks trimmed from the front: cheap for many small chunks.
  let tail: Buffer[] = [];
  let tailSize = 0;
  let total = 0;
  return {
    push(chunk) {
      total += chunk.length;
      let rest = chunk;
      if (headSize < limits.headBytes) {
        const take = rest.subarray(0, limits.headBytes - headSize);
        head.push(take);
        headSize += take.length;
        rest = rest.subarray(take.length);
      }
      if (rest.length === 0) return;
      tail.push(rest);
      tailSize += rest.length;
      while (tailSize > limits.tailBytes && tail.length > 0) {
        const first = tail[0] as Buffer;
        const over = tailSize - limits.tailBytes;
        if (first.length <= over) {
          tail.shift();
          tailSize -= first.length;
        } else {
          tail[0] = first.subarray(over);
          tailSize -= over;
        }
      }
      if (tail.length > 64) tail = [Buffer.concat(tail)];
    },
    text() {
      const headText = Buffer.concat(head).toString("utf8");
      const omitted = total - headSize - tailSize;
      if (omitted <= 0) return headText + Buffer.concat(tail).toString("utf8");
      // A cut may fall inside a UTF-8 sequence; the decoder's U+FFFD there is honest about it.
      return `${headText}\n[agentwf: ${omitted} bytes of output left out here; ${total} bytes in all. Send output to a file in /tmp and read parts of it with head, tail or grep.]\n${Buffer.concat(tail).toString("utf8")}`;
    },
    get totalBytes() {
      return total;
    },
  };
}
