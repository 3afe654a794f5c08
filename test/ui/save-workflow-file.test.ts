import { lstat, mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { saveWorkflowFile, withMetaHeader } from "../../src/ui/save-workflow-file.js";

const CODE = "async function main(wf) {\n  return 1;\n}\n";

describe("saveWorkflowFile", () => {
  it("creates .agentwf/workflows and saves the code there under a meta header naming the file", async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), "agentwf-save-"));
    const result = await saveWorkflowFile(cwd, ".agentwf/workflows/audit.js", CODE, false, "Audit routes");
    expect(result).toEqual({ outcome: "saved", path: path.join(cwd, ".agentwf/workflows/audit.js") });
    expect(await readFile(path.join(cwd, ".agentwf/workflows/audit.js"), "utf8")).toBe(
      `export const meta = {\n  name: "audit",\n  description: "Audit routes",\n};\n\n${CODE}`,
    );
  });

  it("keeps a script that has its own meta header as it is", () => {
    const code = "// header\nexport const meta = { name: 'x', description: 'y' }\nreturn 1\n";
    expect(withMetaHeader(code, "/w/.agentwf/workflows/x.js", "d")).toBe(code);
  });

  it("adds no header outside a workflows folder", () => {
    expect(withMetaHeader(CODE, "/w/workflow-audit.js", "d")).toBe(CODE);
  });

  it("refuses to write through a symbolic link in the workspace, and writes nothing", async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), "agentwf-save-"));
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), "agentwf-elsewhere-"));
    await symlink(elsewhere, path.join(cwd, ".agentwf"));
    const result = await saveWorkflowFile(cwd, ".agentwf/workflows/audit.js", CODE, false);
    expect(result).toEqual({ outcome: "failed", error: ".agentwf is a symbolic link; not writing through it" });
    await expect(lstat(path.join(elsewhere, "workflows"))).rejects.toThrow(/ENOENT/);
  });

  it("says the file exists instead of replacing it, unless told to overwrite", async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), "agentwf-save-"));
    await mkdir(path.join(cwd, "out"));
    await writeFile(path.join(cwd, "out", "w.js"), "old");
    expect(await saveWorkflowFile(cwd, "out/w.js", CODE, false)).toEqual({ outcome: "exists" });
    expect(await saveWorkflowFile(cwd, "out/w.js", CODE, true)).toEqual({ outcome: "saved", path: path.join(cwd, "out", "w.js") });
    expect(await readFile(path.join(cwd, "out", "w.js"), "utf8")).toBe(CODE);
  });
});
