// The projection the approval screen, --dry-run and the JSON outputs show, for the example
// workflows as they ship and for code whose fan-out is fixed, and the --confirm-over threshold.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CostEstimateSchema } from "../../src/events.js";
import { overThreshold, parseConfirmOver } from "../../src/run/confirm-threshold.js";
import { estimateCost } from "../../src/run/cost-estimate.js";
import { REPO_ROOT } from "../helpers/run-cli.js";

const example = (name: string) => readFileSync(path.join(REPO_ROOT, "examples", name), "utf8");
const OPTIONS = { model: "openai/gpt-4o-mini", maxAgents: 100, reduceInputChars: 200_000 };

describe("estimateCost on the examples", () => {
  // Each example discovers its areas (or takes them from input through a helper), so the fan-out is
  // unknown before the run: the estimate says so, with the line, and counts what it can.
  const cases: Array<[string, string, string[]]> = [
    ["coverage-audit.js", "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)", ["line 65: mapAgents over `areas`, whose length is known only when the workflow runs"]],
    ["docs-review.js", "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)", ["line 67: mapAgents over `dirs`, whose length is known only when the workflow runs"]],
    [
      "implementation-strategies.js",
      "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)",
      ["line 71: mapAgents over `strategies`, whose length is known only when the workflow runs", "line 78: mapAgents over `plans`, whose length is known only when the workflow runs"],
    ],
    ["measured-coverage.js", "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)", ["line 69: mapAgents over `packages`, whose length is known only when the workflow runs"]],
    ["security-sweep.js", "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)", ["line 84: mapAgents over `areas`, whose length is known only when the workflow runs"]],
    [
      "triage-pipeline.js",
      "at least 1 sub-agent, the rest unknown (at most 100, --max-agents)",
      [
        "line 96: a wf.pipeline stage over `areas`, whose length is known only when the workflow runs",
        "line 106: a wf.pipeline stage over `areas`, whose length is known only when the workflow runs",
        "line 123: mapAgents over `serious`, whose length is known only when the workflow runs",
      ],
    ],
  ];
  for (const [name, count, unknowns] of cases) {
    it(`${name}: ${count}`, () => {
      const estimate = CostEstimateSchema.parse(estimateCost(example(name), OPTIONS));
      expect(estimate.agents).toEqual({ min: 1, max: null });
      expect(estimate.unknowns).toEqual(unknowns);
      expect(estimate.summary).toBe(`projected: ${count} · 2k–${name === "docs-review.js" || name === "triage-pipeline.js" || name === "measured-coverage.js" ? "6.3" : "6.2"}M tokens · <$0.01–$1.08`);
      // The reducer alone is the floor; the ceiling prices the --max-agents cap.
      expect(estimate.tokens.min).toBeGreaterThan(1000);
      expect(estimate.usd?.max).toBeGreaterThan(estimate.usd?.min ?? Infinity);
      // An unknown count is never past the threshold on its own: only what is known is compared.
      expect(overThreshold(estimate, { agents: 25, usd: 1 })).toBeUndefined();
    });
  }
});

describe("estimateCost on the Claude Code–format examples", () => {
  // Each fans out over what an earlier agent found: one agent known, the rest unknown, with the
  // line of each fan-out that decides it at run time (before, the script did not even parse here).
  const cases: Array<[string, string[]]> = [
    ["audit-routes.js", ["line 18: a pipeline stage over `found.files`, whose length is known only when the workflow runs"]],
    ["coverage-audit.js", ["line 67: in a callback of map over `areas`, whose length is known only when the workflow runs"]],
    [
      "implementation-strategies.js",
      [
        "line 68: a pipeline stage over `strategies`, whose length is known only when the workflow runs",
        "line 76: a pipeline stage over `strategies`, whose length is known only when the workflow runs",
      ],
    ],
  ];
  for (const [name, unknowns] of cases) {
    it(`claude/${name}: at least 1 sub-agent, the rest unknown`, () => {
      const estimate = CostEstimateSchema.parse(estimateCost(example(`claude/${name}`), OPTIONS));
      expect(estimate.agents).toEqual({ min: 1, max: null });
      expect(estimate.unknowns).toEqual(unknowns);
    });
  }

  it("a Claude-format script over a list passed with --args is counted exactly", () => {
    const code = `export const meta = { name: 'r', description: 'review' }
return parallel(args.files.map((f) => () => agent('review ' + f)))`;
    const estimate = estimateCost(code, { ...OPTIONS, input: { files: ["a", "b", "c"] } });
    expect(estimate.agents).toEqual({ min: 3, max: 3 });
    expect(estimate.unknowns).toEqual([]);
  });
});

describe("estimateCost on fixed fan-outs", () => {
  const thirty = `async function main(wf) {
  const files = [${Array.from({ length: 30 }, (_, i) => `"f${i}.ts"`).join(", ")}];
  return wf.mapAgents(files, "review {item}");
}`;

  it("states a known count exactly and prices it from the model's table", () => {
    const estimate = estimateCost(thirty, OPTIONS);
    expect(estimate.agents).toEqual({ min: 30, max: 30 });
    expect(estimate.unknowns).toEqual([]);
    // 30 agents × (6000 + 13 prompt chars)/4 = 1504 tokens in + 200 out at the low end.
    expect(estimate.tokens.min).toBe(30 * (1504 + 200));
    expect(estimate.usd?.min).toBeCloseTo((30 * 1504 * 0.15 + 30 * 200 * 0.6) / 1e6, 9);
    expect(estimate.summary).toMatch(/^projected: 30 sub-agents · 51k–/);
  });

  it("has no dollar range for a model whose price is unknown, and says so", () => {
    const estimate = estimateCost(thirty, { ...OPTIONS, model: "ollama/llama3" });
    expect(estimate.usd).toBeNull();
    expect(estimate.summary).toMatch(/· price of ollama\/llama3 unknown$/);
  });

  it("is past the default threshold by count, and by dollars for an expensive model", () => {
    expect(overThreshold(estimateCost(thirty, OPTIONS), { agents: 25, usd: 1 })).toBe("it may start 30 sub-agents, over 25 (--confirm-over 25,$1)");
    const five = `async function main(wf) { return wf.mapAgents(["a","b","c","d","e"], "deep review of {item}"); }`;
    expect(overThreshold(estimateCost(five, OPTIONS), { agents: 25, usd: 1 })).toBeUndefined();
    expect(overThreshold(estimateCost(five, { ...OPTIONS, model: "anthropic/claude-sonnet-4" }), { agents: 25, usd: 1 })).toMatch(/^it may cost up to \$1\.\d\d, over \$1 \(--confirm-over 25,\$1\)$/);
  });
});

describe("parseConfirmOver", () => {
  it("takes a count, a dollar amount, or both, keeping the default for a part left out", () => {
    expect(parseConfirmOver("40")).toEqual({ agents: 40, usd: 1 });
    expect(parseConfirmOver("$2.5")).toEqual({ agents: 25, usd: 2.5 });
    expect(parseConfirmOver("10,$3")).toEqual({ agents: 10, usd: 3 });
    expect(parseConfirmOver("lots")).toBeUndefined();
    expect(parseConfirmOver("1,2,3")).toBeUndefined();
  });
});
