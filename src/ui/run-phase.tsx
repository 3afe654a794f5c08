// The live view of a running workflow: the progress bar, a grid of panes for as many running
// agents as fit, and a compact list of the rest. Finished agents are in the scrollback above.
import { Box } from "ink";
import { AgentPane } from "./agent-pane.js";
import { CompactAgentList } from "./compact-agent-list.js";
import { formatDuration } from "../text/duration.js";
import { layoutPanes } from "./pane-layout.js";
import { ProgressBar } from "./progress-bar.js";
import type { AgentView, RunViewState, WorkflowView } from "./run-view-state.js";
import { usePaneSlots } from "./use-pane-slots.js";

export interface RunPhaseProps {
  readonly workflow: WorkflowView;
  readonly view: Pick<RunViewState, "agents" | "running">;
  readonly now: number;
  readonly width: number;
  /** Rows available, progress bar included. */
  readonly height: number;
  /** The sub-agent under the live view's cursor. */
  readonly selected?: string;
}

export function RunPhase({ workflow, view, now, width, height, selected }: RunPhaseProps) {
  const layout = layoutPanes(view.running.length, width, height - 1);
  const slots = usePaneSlots(view.running, layout.panes);
  const inPanes = new Set(slots.filter((id): id is string => id !== undefined));
  const shown = slots.map((id) => (id === undefined ? undefined : view.agents[id])).filter((a): a is AgentView => a !== undefined);
  const rest = view.running.filter((id) => !inPanes.has(id)).map((id) => view.agents[id]).filter((a): a is AgentView => a !== undefined);
  const gridRows: AgentView[][] = [];
  for (let i = 0; i < shown.length; i += layout.columns) gridRows.push(shown.slice(i, i + layout.columns));
  return (
    <Box flexDirection="column" width={width}>
      <ProgressBar
        name={workflow.name}
        done={workflow.done}
        failed={workflow.failed}
        running={view.running.length}
        queued={workflow.queued.length}
        elapsed={formatDuration(now - workflow.startedAt, "elapsed")}
        width={width}
      />
      {gridRows.map((row, r) => (
        <Box key={r} flexDirection="row" width={width} height={layout.paneHeight}>
          {row.map((agent) => (
            <AgentPane key={agent.id} agent={agent} now={now} width={layout.paneWidth} textLines={layout.textLines} selected={agent.id === selected} />
          ))}
        </Box>
      ))}
      {rest.length > 0 ? <CompactAgentList agents={rest} now={now} width={width} rows={layout.listRows} /> : null}
    </Box>
  );
}
