// `agentwf agents`: the agent types a workflow can name, where each came from, and the files that
// failed to load (with why), so a broken agent file is found before a run needs it.
import { agentDirectories, loadAgentTypes } from "../agent/agent-types.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { stripForTerminal } from "../text/safe-text.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { CliIO } from "./cli-io.js";
import { resolveWorkspace } from "./run-options.js";

export async function agentsCommand(flags: { cwd?: string }, io: CliIO): Promise<ExitCode> {
  const cwd = resolveWorkspace(flags.cwd, io.cwd);
  const { agents, errors } = await loadAgentTypes(agentDirectories(BUILTIN_AGENTS_DIR, cwd));
  for (const agent of [...agents.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const tools = agent.tools === undefined ? "all tools" : agent.tools.join(", ");
    // Agent files come with the workspace: what they say is stripped before it reaches the terminal.
    io.stdout.write(stripForTerminal(`${agent.name}\n  ${agent.description}\n  tools: ${tools} · max turns: ${agent.maxTurns}${agent.model ? ` · model: ${agent.model}` : ""}\n  from: ${agent.source}\n`));
  }
  for (const error of errors) io.stderr.write(`agentwf: agent file skipped: ${stripForTerminal(error)}\n`);
  return errors.length > 0 ? EXIT.failed : EXIT.done;
}
