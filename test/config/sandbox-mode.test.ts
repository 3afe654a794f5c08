// The table of sandbox modes: its order is what "narrow" means, so every pair is checked.
import { describe, expect, it } from "vitest";
import { DEFAULT_SANDBOX_MODE, SANDBOX_MODES, SandboxModeSchema, TOOL_NAMES, isWithinSandboxMode, narrowSandboxMode, toolNamesForMode } from "../../src/config/sandbox-mode.js";

describe("sandbox modes", () => {
  it("run from tightest to widest, read-only by default", () => {
    expect(SANDBOX_MODES).toEqual(["read-only", "workspace-write", "danger-full-access"]);
    expect(DEFAULT_SANDBOX_MODE).toBe("read-only");
  });

  it("parse only the three names, saying which they are", () => {
    expect(SandboxModeSchema.parse("workspace-write")).toBe("workspace-write");
    const refused = SandboxModeSchema.safeParse("full");
    expect(refused.success ? [] : refused.error.issues.map((issue) => issue.message)).toEqual(["the sandbox mode is one of read-only, workspace-write, danger-full-access"]);
  });

  it("narrow to the tighter of the two for every pair, and keep the run's mode when the agent asks none", () => {
    const narrowed = SANDBOX_MODES.map((run) => SANDBOX_MODES.map((wanted) => narrowSandboxMode(run, wanted)));
    expect(narrowed).toEqual([
      ["read-only", "read-only", "read-only"],
      ["read-only", "workspace-write", "workspace-write"],
      ["read-only", "workspace-write", "danger-full-access"],
    ]);
    expect(SANDBOX_MODES.map((run) => narrowSandboxMode(run, undefined))).toEqual(["read-only", "workspace-write", "danger-full-access"]);
  });

  it("tell a mode within a limit from a wider one, for every pair", () => {
    const within = SANDBOX_MODES.map((mode) => SANDBOX_MODES.map((limit) => isWithinSandboxMode(mode, limit)));
    expect(within).toEqual([
      [true, true, true],
      [false, true, true],
      [false, false, true],
    ]);
  });

  it("offer the same tools in danger-full-access as in workspace-write, spelled as the tools are", () => {
    expect(toolNamesForMode("danger-full-access")).toEqual(["read_file", "list_dir", "glob", "grep", "bash", "edit_file", "write_file"]);
    expect(Object.values(TOOL_NAMES)).toEqual(["read_file", "list_dir", "glob", "grep", "bash", "edit_file", "write_file"]);
  });
});
