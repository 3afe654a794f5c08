// `agentwf agents`: the agent types a workflow can name, side by side whatever ecosystem they come
// from (built-in, the project's, Claude Code's, Gemini CLI's, opencode's, OpenHands'), with the
// folder each came from, its tools and sandbox; then the files that failed to load and what loaded
// files asked for and did not get, so a broken agent file is found before a run needs it. Every
// field comes from files a repository wrote, so every one is stripped before it reaches the terminal.
import { agentDirectories, loadAgentTypes, type LoadedAgent } from "../agent/agent-types.js";
import { formatAgentsJson } from "./agents-json.js";
import { BUILTIN_AGENTS_DIR } from "../agent/prompt-files.js";
import { stripForTerminal } from "../text/safe-text.js";
import { padEnd, truncateEnd } from "../ui/text-fit.js";
import { EXIT, type ExitCode } from "./exit-codes.js";
import type { CliIO } from "./cli-io.js";
import { resolveWorkspace } from "./run-options.js";

const HEADINGS = ["NAME", "FROM", "TOOLS", "SANDBOX", "DESCRIPTION"] as const;
// Column caps, so one long name or tool list cannot push the descriptions off the screen.
const MAX_WIDTHS = [32, 32, 56, 18, 100] as const;

/** One field for a table cell: stripped, on one line. */
function cell(text: string): string {
  return stripForTerminal(text).replace(/\s+/g, " ").trim();
}

function row(agent: LoadedAgent): string[] {
  const tools = agent.tools === undefined ? "all" : agent.tools.length === 0 ? "none" : agent.tools.join(", ");
  return [agent.name, agent.folder, tools, agent.sandbox ?? "run's", agent.description].map(cell);
}

/** Rows as aligned columns; the last column is cut, not padded. */
export function formatAgentTable(agents: readonly LoadedAgent[]): string {
  const rows = [[...HEADINGS], ...agents.map(row)];
  const widths = HEADINGS.map((_, i) => Math.min(MAX_WIDTHS[i] ?? 0, Math.max(...rows.map((r) => [...(r[i] ?? "")].length))));
  const last = HEADINGS.length - 1;
  return rows
    .map((r) =>
      r
        .map((text, i) => (i === last ? truncateEnd(text, widths[i] ?? 0) : padEnd(text, widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export async function agentsCommand(flags: { cwd?: string; json?: boolean }, io: CliIO): Promise<ExitCode> {
  const cwd = resolveWorkspace(flags.cwd, io.cwd);
  const { agents, errors, notes } = await loadAgentTypes(agentDirectories({ builtinDir: BUILTIN_AGENTS_DIR, workspace: cwd, home: io.env.HOME }));
  const sorted = [...agents.values()].sort((a, b) => a.name.localeCompare(b.name));
  // --json: the same listing for a program (errors and each agent's notes are in the object too).
  io.stdout.write(flags.json === true ? `${formatAgentsJson(sorted, errors)}\n` : `${formatAgentTable(sorted)}\n`);
  for (const note of notes) io.stderr.write(`agentwf: agent file: ${stripForTerminal(note)}\n`);
  for (const error of errors) io.stderr.write(`agentwf: agent file skipped: ${stripForTerminal(error)}\n`);
  return errors.length > 0 ? EXIT.failed : EXIT.done;
}
