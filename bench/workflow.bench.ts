// What agentwf itself costs per workflow and per sub-agent, through the built CLI as a user runs
// it (`agentwf exec` with the offline demo model, whose sub-agents answer at once): process start,
// the sandbox child, the isolate, the bridge, the agent loop, events and the run store.
import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, bench, describe } from "vitest";
import { validateWorkflow } from "../src/workflow/validate.js";
import { BIN } from "../test/helpers/run-cli.js";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-bench-"));
  await writeFile(path.join(dir, "one.js"), `async function main(wf) { return wf.runAgent("x"); }\n`);
  await writeFile(
    path.join(dir, "thousand.js"),
    `async function main(wf) {\n  const out = await wf.mapAgents(Array.from({ length: 1000 }, (_, i) => i), "item {item}");\n  return String(out.length);\n}\n`,
  );
});

async function exec(file: string, extra: string[] = []): Promise<void> {
  const result = await execa(process.execPath, ["--no-node-snapshot", BIN, "exec", file, "-m", "demo", ...extra], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? "", HOME: dir, AGENTWF_HOME: dir },
    extendEnv: false,
    reject: false,
  });
  if (result.exitCode !== 0) throw new Error(`exec failed: ${result.stderr}`);
}

describe("the CLI with the demo model", () => {
  bench("agentwf exec: one workflow, one sub-agent (process, sandbox child, isolate)", async () => {
    await exec("one.js");
  }, { iterations: 5, warmupIterations: 1 });

  bench("agentwf exec: mapAgents over 1,000 sub-agents at -c 64", async () => {
    await exec("thousand.js", ["-c", "64", "--max-agents", "1000"]);
  }, { iterations: 3, warmupIterations: 1 });
});

describe("validation", () => {
  const code = `async function main(wf) {
  const areas = ["src/api", "src/db", "src/ui"];
  const found = await wf.mapAgents(areas, "audit {item}", { description: (a) => "audit " + a, maxConcurrency: 4 });
  return wf.reduceAgent(found, "merge into a table");
}`;
  bench("validateWorkflow with the type check (warm)", () => {
    validateWorkflow(code, 100_000);
  });
  bench("validateWorkflow without the type check", () => {
    validateWorkflow(code, 100_000, { typeCheck: false });
  });
});
