// `s` on the approval screen: a copy of the workflow's code in a file the person names.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { SaveResult } from "./ink-approval-port.js";

/** Writes `code` to `file` (relative to `cwd`); an existing file is only replaced when `overwrite`. */
export async function saveWorkflowFile(cwd: string, file: string, code: string, overwrite: boolean): Promise<SaveResult> {
  const target = path.resolve(cwd, file);
  try {
    await writeFile(target, code, { flag: overwrite ? "w" : "wx" });
    return { outcome: "saved", path: target };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { outcome: "exists" };
    return { outcome: "failed", error: (error as Error).message };
  }
}
