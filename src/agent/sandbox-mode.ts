// The sandbox modes live with the run's configuration (config/sandbox-mode.ts); agent types name
// them under the names agent/ has always used, so that one table serves the flag, the config file
// and the agent files.
export {
  SANDBOX_MODES,
  DEFAULT_SANDBOX_MODE as DEFAULT_SANDBOX,
  narrowSandboxMode as narrowSandbox,
  type SandboxMode,
} from "../config/sandbox-mode.js";
