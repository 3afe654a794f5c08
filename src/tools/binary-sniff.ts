// Text tools refuse binary files the way git and grep decide: a NUL byte near the start. UTF-8
// and the common legacy encodings never contain NUL in text, while most binary formats do early.

/** How much of a file's head is inspected. */
export const BINARY_SNIFF_BYTES = 8192;

// True when the first BINARY_SNIFF_BYTES of `head` contain a NUL byte.
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}
