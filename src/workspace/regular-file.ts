// Opening a file that a cloned repository controls. Checking with stat and then opening leaves a
// window in which the path can be swapped for a FIFO (open blocks forever), a device (endless
// bytes) or a symlink (leads elsewhere). So the file is opened with O_NONBLOCK (a FIFO or device
// open returns at once instead of waiting for a writer) and O_NOFOLLOW (a symlink swapped in for
// the last component fails with ELOOP), and the checks run on the opened descriptor with fstat:
// what is checked is exactly what is read.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

export type ReadRefusal = "missing" | "not-regular" | "too-large" | "outside" | "unreadable";

/** A workspace file that is not read; `code` says why, the message names the file and the fix. */
export class WorkspaceReadError extends Error {
  override readonly name = "WorkspaceReadError";
  constructor(
    readonly code: ReadRefusal,
    message: string,
    /** For "too-large": the file's size and the cap it is over. */
    readonly size?: number,
    readonly maxBytes?: number,
  ) {
    super(message);
  }
}

export interface ReadCap {
  /** Larger files are refused. */
  readonly maxBytes: number;
  /** Names what is being read in messages: "AGENTS.md", "an agent file". */
  readonly purpose: string;
}

function openError(error: unknown, shown: string): WorkspaceReadError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
    case "ENOTDIR":
      return new WorkspaceReadError("missing", `${shown}: no such file`);
    case "ELOOP":
      // Only the last component can be a link here: the path was resolved just before, so it
      // changed under us; refusing is the safe answer.
      return new WorkspaceReadError("outside", `${shown}: became a symbolic link while being opened; not read`);
    case "EACCES":
    case "EPERM":
      return new WorkspaceReadError("unreadable", `${shown}: permission denied`);
    default:
      return new WorkspaceReadError("unreadable", `${shown}: cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
}

function checkOpened(info: { isFile(): boolean; isDirectory(): boolean; size: number }, shown: string, cap: ReadCap): void {
  if (info.isDirectory()) throw new WorkspaceReadError("not-regular", `${shown}: is a directory, not a file`);
  if (!info.isFile()) {
    throw new WorkspaceReadError("not-regular", `${shown}: is not a regular file (a FIFO, socket or device); only regular files are read`);
  }
  if (info.size > cap.maxBytes) throw tooLarge(shown, info.size, cap);
}

function tooLarge(shown: string, size: number, cap: ReadCap): WorkspaceReadError {
  return new WorkspaceReadError(
    "too-large",
    `${shown}: ${size} bytes, over the ${cap.maxBytes}-byte limit for ${cap.purpose}; make it smaller`,
    size,
    cap.maxBytes,
  );
}

/**
 * Opens `real` (a path already resolved by the guard) for reading, only when it is a regular
 * file within the cap. The caller closes the handle.
 */
export async function openRegularFile(real: string, shown: string, cap: ReadCap): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(real, OPEN_FLAGS).catch((error: unknown) => {
    throw openError(error, shown);
  });
  try {
    const info = await handle.stat();
    checkOpened(info, shown, cap);
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a regular file within the cap, as long as fstat said it was when opened. */
export async function readRegularFile(real: string, shown: string, cap: ReadCap): Promise<Buffer> {
  const { handle, size } = await openRegularFile(real, shown, cap);
  try {
    // Reading stops at the size fstat gave: one read for most files, where a second read only to
    // see EOF took grep over 100k small files from 6 s to 11 s. The buffer never holds more than
    // the cap and one byte.
    const buffer = Buffer.alloc(Math.min(size, cap.maxBytes) + 1);
    let filled = 0;
    while (filled < size && filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > cap.maxBytes) throw tooLarge(shown, filled, cap);
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The synchronous twin of readRegularFile, for start-up code that is synchronous (config files). */
export function readRegularFileSync(real: string, shown: string, cap: ReadCap): Buffer {
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (error) {
    throw openError(error, shown);
  }
  try {
    const info = fstatSync(fd);
    checkOpened(info, shown, cap);
    const buffer = Buffer.alloc(Math.min(info.size, cap.maxBytes) + 1);
    let filled = 0;
    while (filled < info.size && filled < buffer.length) {
      const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > cap.maxBytes) throw tooLarge(shown, filled, cap);
    return buffer.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
