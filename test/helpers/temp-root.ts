// vitest globalSetup: every temporary folder the tests make (theirs, and those of the CLI processes
// they start) goes under one folder per `vitest run`, removed when the run ends, so that running
// the suite does not leave thousands of folders in the person's /tmp. Workers and the processes
// they start inherit TMPDIR, which os.tmpdir() reads on every call.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(os.tmpdir(), "agentwf-tests-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return async () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
