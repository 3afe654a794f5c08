// The sandbox in config: the person's mode and network, a project file that may only tighten
// them, and `.env` reading that only the person's own file may allow.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, type LimitName } from "../../src/config/limits.js";
import { applyProjectTrust, type PersonSettings } from "../../src/config/project-trust.js";
import { describeSandbox, narrowSandboxMode, toolNamesForMode } from "../../src/config/sandbox-mode.js";
import type { SandboxMode } from "../../src/config/sandbox-mode.js";
import type { ConfigFile } from "../../src/config/config-file.js";

const FILE = "/ws/.agentwf/config.json";
const USER_FILE = "/home/me/.config/agentwf/config.json";

function person(mode: SandboxMode, network = false, fromFlags: { mode?: boolean; network?: boolean } = {}): PersonSettings {
  return {
    access: { env: {}, personModels: ["openai/gpt-4o-mini"] },
    limits: DEFAULT_LIMITS,
    limitsFromFlags: new Set<LimitName>(),
    userConfigFile: USER_FILE,
    sandbox: { mode, network, modeFromFlag: fromFlags.mode === true, networkFromFlag: fromFlags.network === true },
  };
}
const project = (config: ConfigFile) => ({ file: FILE, config });

describe("a project's sandbox settings", () => {
  it("may tighten the mode and turn the network off", () => {
    const trusted = applyProjectTrust(person("workspace-write", true), project({ sandbox: "read-only", network: false }));
    expect(trusted.sandbox).toEqual({ mode: "read-only", network: false });
    expect(trusted.warnings).toEqual([]);
  });

  it("may not widen the mode or turn the network on, with one warning each", () => {
    const trusted = applyProjectTrust(person("read-only"), project({ sandbox: "danger-full-access", network: true }));
    expect(trusted.sandbox).toEqual({ mode: "read-only", network: false });
    expect(trusted.warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored sandbox "danger-full-access": a project file may tighten the sandbox, not widen it (yours is read-only); to widen it, pass --sandbox`,
      `agentwf: warning: ${FILE}: ignored network true: a project file may not turn the network on for commands; to allow it, pass --network`,
    ]);
  });

  it("keeps the person's mode when it names none, and the person's sandbox when there is no project file", () => {
    const trusted = applyProjectTrust(person("workspace-write", true), project({ network: false }));
    expect(trusted.sandbox).toEqual({ mode: "workspace-write", network: false });
    expect(applyProjectTrust(person("danger-full-access", true), undefined)).toEqual({ limits: DEFAULT_LIMITS, sandbox: { mode: "danger-full-access", network: true }, warnings: [] });
    const { sandbox: _none, ...noSandbox } = person("read-only");
    expect(applyProjectTrust(noSandbox, undefined)).toEqual({ limits: DEFAULT_LIMITS, warnings: [] });
  });

  it("has no say over a mode or network the person gave as flags", () => {
    const trusted = applyProjectTrust(person("workspace-write", true, { mode: true, network: true }), project({ sandbox: "read-only", network: false }));
    expect(trusted.sandbox).toEqual({ mode: "workspace-write", network: true });
  });

  it("may not allow .env files to be read", () => {
    const trusted = applyProjectTrust(person("read-only"), project({ tools: { readDotEnv: true } }));
    expect(trusted.warnings).toEqual([
      `agentwf: warning: ${FILE}: ignored tools.readDotEnv true: a project file may not let tools read .env files (their keys would go to the model's server); to allow it, set it in ${USER_FILE}`,
    ]);
  });
});

describe("sandbox modes", () => {
  it("narrow, never widen", () => {
    expect(narrowSandboxMode("workspace-write", "read-only")).toBe("read-only");
    expect(narrowSandboxMode("read-only", "danger-full-access")).toBe("read-only");
    expect(narrowSandboxMode("danger-full-access", undefined)).toBe("danger-full-access");
  });

  it("offer write tools only from workspace-write on", () => {
    expect(toolNamesForMode("read-only")).toEqual(["read_file", "list_dir", "glob", "grep", "bash"]);
    expect(toolNamesForMode("workspace-write")).toEqual(["read_file", "list_dir", "glob", "grep", "bash", "edit_file", "write_file"]);
  });

  it("read as the header and approval screen show them", () => {
    expect(describeSandbox("read-only", false)).toBe("read-only, no network");
    expect(describeSandbox("workspace-write", true)).toBe("workspace-write, network on");
    expect(describeSandbox("danger-full-access", false)).toBe("danger-full-access: commands run without a sandbox");
  });
});

describe("the sandbox's description", () => {
  it("names the network for both sandboxed modes", () => {
    expect(describeSandbox("read-only", true)).toBe("read-only, network on");
    expect(describeSandbox("workspace-write", false)).toBe("workspace-write, no network");
    expect(describeSandbox("danger-full-access", true)).toBe("danger-full-access: commands run without a sandbox");
  });
});
