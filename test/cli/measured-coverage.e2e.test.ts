// Issue 10's "done when": `agentwf run --model demo --yes "audit test coverage"` on a JavaScript
// project with a coverage script reports the coverage its tool measured, and the workspace is
// byte-identical afterwards. The built CLI runs the fixture's `npm run coverage` (Node's own test
// runner coverage: no dependencies, no network) through bash in the read-only sandbox.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeEach, describe, expect, it } from "vitest";
import { hashTree } from "../tools/shell/sandbox-harness.js";
import { REPO_ROOT, runCli, tempHome } from "../helpers/run-cli.js";

const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "demo-measured");
// bubblewrap that can start a namespace: without it bash is not offered and nothing is measured.
const BWRAP_STARTS = spawnSync("bwrap", ["--unshare-all", "--ro-bind", "/", "/", "true"]).status === 0;

/**
 * A copy of the fixture outside this repository: Node's runner leaves files under any `test/`
 * folder out of its coverage, and the fixture itself lives under test/fixtures/.
 */
async function copyOfFixture(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "agentwf-measured-"));
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

/** What the tool itself prints for each file, read here with a plain regex of its table's rows. */
async function toolFigures(): Promise<Map<string, string[]>> {
  const dir = await copyOfFixture();
  const run = await execa("npm", ["run", "--silent", "coverage"], { cwd: dir, reject: false, env: { NO_COLOR: "1" } });
  const figures = new Map<string, string[]>();
  for (const line of run.stdout.split("\n")) {
    const row = /^ℹ\s+(\S+\.js)\s+\|\s+([\d.]+)\s+\|\s+([\d.]+)\s+\|\s+([\d.]+)\s+\|/.exec(line);
    if (row !== null) figures.set(row[1] ?? "", [row[2] ?? "", row[3] ?? "", row[4] ?? ""]);
  }
  return figures;
}

let home: string;
beforeEach(async () => {
  home = await tempHome();
});

describe.skipIf(!BWRAP_STARTS)("agentwf run --model demo on a project with a coverage script (needs bubblewrap)", () => {
  it("reports the per-file figures the coverage tool measured, says so, and leaves the workspace byte-identical", async () => {
    const figures = await toolFigures();
    // The fixture's two loaded files, as the tool printed them (math.js 71.43 lines, format.js 50.00 functions).
    expect([...figures.keys()].sort()).toEqual(["format.js", "math.js"]);
    expect(figures.get("format.js")?.[2]).toBe("50.00");
    const workspace = await copyOfFixture();
    const before = await hashTree(workspace);

    const run = await runCli(["run", "--model", "demo", "--yes", "audit test coverage"], { cwd: workspace, env: { AGENTWF_HOME: home }, timeoutMs: 120_000 });

    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stdout).toContain("## `measured-fixture` (`.`): measured by `npm run --silent coverage`");
    expect(run.stdout).toContain("**Measured** by the project's own coverage tool in 1 package");
    expect(run.stdout).toContain('(chosen because of the package.json script "coverage"); it ended with exit code 0.');
    const [mathLines, mathBranches, mathFuncs] = figures.get("math.js") ?? [];
    const [formatLines, formatBranches, formatFuncs] = figures.get("format.js") ?? [];
    expect(run.stdout).toContain(`| \`src/math.js\` | ${mathLines} | ${mathBranches} | ${mathFuncs} | \`4-5\` |`);
    expect(run.stdout).toContain(`| \`src/util/format.js\` | ${formatLines} | ${formatBranches} | ${formatFuncs} | \`6-7\` |`);
    expect(run.stdout).toContain("Source files the tool's table does not name (no test loaded them, so the tool measured nothing there): `src/unloaded.js`.");
    expect(run.stdout).not.toContain("inferred from test file names");
    expect(run.stderr).toContain("audit measured-fixture (coverage-auditor)");

    // The coverage script writes lcov.info: inside the sandbox's throw-away layer only.
    expect(existsSync(path.join(workspace, "lcov.info"))).toBe(false);
    expect(await hashTree(workspace)).toBe(before);
  });
});

describe("agentwf run --model demo on a project with no coverage command", () => {
  it("says the figures were inferred from test names and imports, and why", async () => {
    const run = await runCli(["run", "--model", "demo", "--yes", "audit test coverage"], { cwd: path.join(REPO_ROOT, "test", "fixtures", "demo-repo"), env: { AGENTWF_HOME: home } });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      BWRAP_STARTS
        ? "**Method:** not measured; inferred from test file names and imports because the folder has no manifest (package.json, pyproject.toml, go.mod) that names a coverage command."
        : "**Method:** not measured; inferred from test file names and imports because the bash tool is not offered to this agent",
    );
  });
});
