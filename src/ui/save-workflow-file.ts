// `s` on the approval screen: a copy of the workflow's code in a file the person names, by default
// .agentwf/workflows/NAME.js, so that a run people liked becomes a command. A file saved into a
// workflows folder gets a `meta` header when it has none (its name and description are what
// `agentwf workflows` lists). As Claude Code does since v2.1.216, nothing is written through a
// symbolic link inside the workspace: a cloned repository could point `.agentwf` anywhere.
import { lstat, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { SaveResult } from "./ink-approval-port.js";

const HAS_META = /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*export\s+const\s+meta\s*=/;

/** The code with a meta header, when it is saved into a workflows folder and has none. */
export function withMetaHeader(code: string, file: string, description: string): string {
  if (path.basename(path.dirname(file)) !== "workflows" || HAS_META.test(code)) return code;
  const name = path.basename(file).replace(/\.[^.]+$/, "");
  return `export const meta = {\n  name: ${JSON.stringify(name)},\n  description: ${JSON.stringify(description)},\n};\n\n${code}`;
}

/** The first symbolic link on the way from `root` to `target` (the target included), if any. */
async function symlinkOnTheWay(root: string, target: string): Promise<string | undefined> {
  const rel = path.relative(root, target);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  let at = root;
  for (const part of rel.split(path.sep)) {
    at = path.join(at, part);
    try {
      if ((await lstat(at)).isSymbolicLink()) return at;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Writes `code` to `file` (relative to `cwd`); an existing file is only replaced when `overwrite`. */
export async function saveWorkflowFile(cwd: string, file: string, code: string, overwrite: boolean, description = "saved from an agentwf run"): Promise<SaveResult> {
  const target = path.resolve(cwd, file);
  try {
    const link = await symlinkOnTheWay(cwd, target);
    if (link !== undefined) return { outcome: "failed", error: `${path.relative(cwd, link)} is a symbolic link; not writing through it` };
    await mkdir(path.dirname(target), { recursive: true });
    // A link created between the check and the mkdir is caught here, before the write.
    const late = await symlinkOnTheWay(cwd, target);
    if (late !== undefined) return { outcome: "failed", error: `${path.relative(cwd, late)} is a symbolic link; not writing through it` };
    await writeFile(target, withMetaHeader(code, target, description), { flag: overwrite ? "w" : "wx" });
    return { outcome: "saved", path: target };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return { outcome: "exists" };
    return { outcome: "failed", error: (error as Error).message };
  }
}
