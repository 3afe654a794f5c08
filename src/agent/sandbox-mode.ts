// The sandbox modes a run may choose (`--sandbox`), ordered from the narrowest to the widest. An
// agent type may ask for a narrower mode than its run's, never a wider one: the person chose the
// run's mode, and an agent file (which may come with a repository someone just cloned) does not.
export const SANDBOX_MODES = ["read-only", "workspace-write", "danger-full-access"] as const;

export type SandboxMode = (typeof SANDBOX_MODES)[number];

export const DEFAULT_SANDBOX: SandboxMode = "read-only";

/** The narrower of the run's mode and the one an agent type asks for (none: the run's). */
export function narrowSandbox(run: SandboxMode, agent: SandboxMode | undefined): SandboxMode {
  if (agent === undefined) return run;
  return SANDBOX_MODES.indexOf(agent) < SANDBOX_MODES.indexOf(run) ? agent : run;
}
