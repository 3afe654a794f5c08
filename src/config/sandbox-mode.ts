// The sandbox modes, in one place: the --sandbox flag, the config key, agent types (which may
// narrow a run's mode, never widen it) and the tool sets all read this table.
import { z } from "zod";

/** Ordered from tightest to widest; the order is what "narrow" means. */
export const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;

export const SandboxModeSchema = z.enum(SANDBOX_MODES, {
  message: `the sandbox mode is one of ${SANDBOX_MODES.join(", ")}`,
});

export type SandboxMode = z.infer<typeof SandboxModeSchema>;

export const DEFAULT_SANDBOX_MODE: SandboxMode = "read-only";

/** The tool names, so agent files and the tool sets spell them the same. */
export const TOOL_NAMES = {
  readFile: "read_file",
  listDir: "list_dir",
  glob: "glob",
  grep: "grep",
  bash: "bash",
  editFile: "edit_file",
  writeFile: "write_file",
} as const;

export type ToolName = (typeof TOOL_NAMES)[keyof typeof TOOL_NAMES];

const LOOK = [TOOL_NAMES.readFile, TOOL_NAMES.listDir, TOOL_NAMES.glob, TOOL_NAMES.grep] as const;
const WRITE = [TOOL_NAMES.editFile, TOOL_NAMES.writeFile] as const;

/** The tools a mode offers at most (bash only where a sandbox for it could start). */
export function toolNamesForMode(mode: SandboxMode): readonly ToolName[] {
  switch (mode) {
    case "read-only":
      return [...LOOK, TOOL_NAMES.bash];
    case "workspace-write":
    case "danger-full-access":
      return [...LOOK, TOOL_NAMES.bash, ...WRITE];
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}

/** The tighter of two modes: what an agent type gets when it asks for `wanted` in a run of `run`. */
export function narrowSandboxMode(run: SandboxMode, wanted: SandboxMode | undefined): SandboxMode {
  if (wanted === undefined) return run;
  return SANDBOX_MODES.indexOf(wanted) < SANDBOX_MODES.indexOf(run) ? wanted : run;
}

/** Whether `mode` is no wider than `limit` (a project file may only pick such a mode). */
export function isWithinSandboxMode(mode: SandboxMode, limit: SandboxMode): boolean {
  return SANDBOX_MODES.indexOf(mode) <= SANDBOX_MODES.indexOf(limit);
}

/** How the header and the approval screen name a run's sandbox: "read-only, no network". */
export function describeSandbox(mode: SandboxMode, network: boolean): string {
  switch (mode) {
    case "read-only":
    case "workspace-write":
      return `${mode}, ${network ? "network on" : "no network"}`;
    case "danger-full-access":
      return "danger-full-access: commands run without a sandbox";
    default: {
      const unreachable: never = mode;
      return unreachable;
    }
  }
}
