// End to end through the CLI and the fake server: a key in the person's environment is not in
// the environment `bash` sees, and a key value that reaches tool output (a file that holds it) is
// scrubbed before the model, stream-json, the run store and the report see it.
import { mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sequence, startFakeServer, text, toolCalls, toolResults, type FakeServer } from "../helpers/fake-openai-server.js";
import { runCli, tempHome } from "../helpers/run-cli.js";
import { HAS_BWRAP } from "../tools/shell/sandbox-harness.js";

const KEY = "sk-e2e-secret-0123456789abcdef";
const OTHER = "ghp_othertoken_9876543210";

let server: FakeServer | undefined;
let home: string;
let ws: string;

beforeEach(async () => {
  home = await tempHome();
  ws = await mkdtemp(path.join(os.tmpdir(), "agentwf-secrets-"));
  await mkdir(path.join(ws, ".agentwf", "agents"), { recursive: true });
  await writeFile(path.join(ws, ".agentwf", "agents", "runner.md"), "---\nname: runner\ndescription: runs commands\ntools: [bash, read_file]\n---\nRun what you are asked.\n");
  // A file in the workspace that holds the key: reading it must not hand the key to the model.
  await writeFile(path.join(ws, "leak.txt"), `token=${OTHER}\n`);
  await writeFile(path.join(ws, ".env"), `OPENAI_API_KEY=${KEY}\n`);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  return out;
}

describe.runIf(HAS_BWRAP)("secrets, end to end", () => {
  it("keeps keys out of bash's environment, the model's tool results, stream-json, the run store and the report", async () => {
    server = await startFakeServer(
      sequence(
        toolCalls(
          { name: "bash", arguments: { command: "env | sort; cat leak.txt; echo dotenv-bytes=$(wc -c < .env)" }, id: "c1" },
          { name: "read_file", arguments: { path: ".env" }, id: "c2" },
          { name: "read_file", arguments: { path: "leak.txt" }, id: "c3" },
        ),
        text(`done; the answer repeats ${OTHER}`),
      ),
    );
    const wf = path.join(ws, "wf.js");
    await writeFile(wf, 'async function main(wf) { return await wf.runAgent("show the environment", { agent: "runner" }); }\n');
    const run = await runCli(["exec", wf, "-m", "openai/t", "--cwd", ws, "--output-format", "stream-json"], {
      env: { AGENTWF_HOME: home, AGENTWF_BASE_URL: server.baseUrl, AGENTWF_API_KEY: KEY, GITHUB_TOKEN: OTHER, LANG: "C.UTF-8" },
    });
    expect(run.exitCode).toBe(0);
    const results = toolResults(server.requests[1]!);
    expect(results).toHaveLength(3);
    const [bash, dotEnv, leak] = results as [string, string, string];
    expect(bash.split("\n")[0]).toBe("exit code 0");
    expect(bash).toContain("HOME=/tmp/home\n");
    expect(bash).toContain("LANG=C.UTF-8\n");
    expect(bash).toContain("token=[secret removed]\n");
    // The sandbox shows .env empty, so a key only in that file does not reach the model either.
    expect(bash).toContain("dotenv-bytes=0\n");
    expect(bash).not.toMatch(/AGENTWF_API_KEY|GITHUB_TOKEN|AGENTWF_BASE_URL/);
    expect(dotEnv).toBe(`Error: ".env" is an environment file (it usually holds keys) and is not read; the person can allow it with "tools": { "readDotEnv": true } in their own agentwf config`);
    expect(leak).toBe("1\ttoken=[secret removed]");
    // The model server got the key as its bearer token only, never in a message.
    expect(JSON.stringify(server.requests.map((r) => r.body))).not.toContain(KEY);
    // stream-json, the result and the run store: the answer's copy of the token is scrubbed too.
    expect(run.stdout).toContain("done; the answer repeats [secret removed]");
    expect(run.stdout).not.toContain(OTHER);
    expect(run.stdout).not.toContain(KEY);
    const stored = await filesUnder(home);
    expect(stored.length).toBeGreaterThan(0);
    for (const file of stored) {
      const content = await readFile(file, "utf8");
      expect([file, content.includes(OTHER) || content.includes(KEY)]).toEqual([file, false]);
    }
  });
});
