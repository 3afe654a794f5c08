// A scripted model server for driving the terminal UI end to end: the parent proposes a workflow,
// revises it when it is rejected (the revision drops one area and caps concurrency), and reports
// what the workflow returned. Sub-agents stream a few lines each, after `release()` is called.
import { lastUserText, startFakeServer, text, toolCalls, toolResults, type FakeServer, type RecordedRequest } from "../helpers/fake-openai-server.js";

export const FIRST_WORKFLOW = `async function main(wf) {
  const areas = ["alpha", "beta", "gamma", "delta", "epsilon"];
  const found = await wf.mapAgents(areas, "Inspect area {item}", {
    description: (area) => "inspect " + area,
  });
  wf.log("inspected " + areas.length + " areas");
  return wf.reduceAgent(found, "Merge the findings into a table", { description: "merge findings" });
}`;

export const REVISED_WORKFLOW = `async function main(wf) {
  const areas = ["alpha", "beta", "gamma", "delta"];
  const found = await wf.mapAgents(areas, "Inspect area {item}", {
    description: (area) => "inspect " + area,
    maxConcurrency: 4,
  });
  wf.log("inspected " + areas.length + " areas");
  return wf.reduceAgent(found, "Merge the findings into a table", { description: "merge findings" });
}`;

export const REPORT_HEADING = "Area audit";

export const isParent = (req: RecordedRequest) => (req.body.tools ?? []).some((t) => t.function.name === "workflow");

export interface Scenario {
  readonly server: FakeServer;
  /** Lets the sub-agents answer (they wait until then, so their panes stay up). */
  release(): void;
  /** The parent's requests, in order. */
  parentRequests(): RecordedRequest[];
}

export async function startScenario(options: { readonly hold?: boolean; readonly chunkDelayMs?: number } = {}): Promise<Scenario> {
  let release = () => {};
  const gate = options.hold === false ? Promise.resolve() : new Promise<void>((resolve) => (release = resolve));
  const server = await startFakeServer(
    async (req) => {
      if (isParent(req)) {
        const results = toolResults(req);
        const last = results.at(-1) ?? "";
        if (results.length === 0) return toolCalls({ name: "workflow", arguments: { name: "area-audit", code: FIRST_WORKFLOW } });
        if (/rejected this workflow/.test(last)) {
          return { ...toolCalls({ name: "workflow", arguments: { name: "area-audit", code: REVISED_WORKFLOW, maxConcurrency: 4 } }), text: "Revising: four areas, four at a time." };
        }
        return text(`# ${REPORT_HEADING}\n\nEvery area was inspected.\n\n${last}\n\n- **alpha** is fine\n- \`beta\` needs tests\n`);
      }
      await gate;
      const prompt = lastUserText(req);
      if (prompt.includes("<inputs>")) return text("| area | finding |\n| --- | --- |\n| alpha | ok |\n| beta | needs tests |\n| gamma | ok |\n| delta | ok |");
      const area = /Inspect area (\w+)/.exec(prompt)?.[1] ?? "?";
      return text(`Looking at ${area}.\nReading the files of ${area} one by one.\nChecking the tests that cover ${area}.\nFinding for ${area}: ok.`);
    },
    { chunkDelayMs: options.chunkDelayMs ?? 0 },
  );
  return { server, release: () => release(), parentRequests: () => server.requests.filter(isParent) };
}
