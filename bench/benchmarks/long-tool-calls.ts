// 10. Long tool calls: a 100 KB `code` argument streamed in 4-character deltas, folded by the
// stream accumulator the model client uses; 50 KB and 200 KB show whether it stays linear.
import { createStreamAccumulator } from "../../src/model/stream-accumulator.js";
import type { Benchmark } from "../lib/types.js";

function chunksFor(kb: number): unknown[] {
  const code = `async function main(wf) {\n${"  // filler line of a long workflow\n".repeat(Math.ceil((kb * 1024) / 36))}}\n`.slice(0, kb * 1024);
  const args = JSON.stringify({ name: "long", code });
  const chunks: unknown[] = [{ id: "c", choices: [{ index: 0, delta: { role: "assistant", tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "workflow", arguments: "" } }] }, finish_reason: null }] }];
  for (let i = 0; i < args.length; i += 4) {
    chunks.push({ id: "c", choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 4) } }] }, finish_reason: null }] });
  }
  chunks.push({ id: "c", choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] });
  return chunks;
}

// CPU time of this thread: the fold is synchronous, so on a loaded machine its wall time would
// measure the other processes; Node 23.9+ has threadCpuUsage.
const cpuNow = (): number => {
  const usage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.() ?? process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function fold(chunks: readonly unknown[]): number {
  const started = cpuNow();
  const accumulator = createStreamAccumulator();
  for (const chunk of chunks) accumulator.push(chunk);
  accumulator.end();
  const result = accumulator.result();
  const elapsed = cpuNow() - started;
  if (result.toolCalls.length !== 1) throw new Error("the accumulator lost the tool call");
  return elapsed;
}

export const longToolCalls: Benchmark = {
  id: "10",
  title: "Long tool calls",
  setup: "In-process: a `workflow` tool call whose arguments (100 KB of code, JSON-encoded) arrive in 4-character deltas, one parsed chunk each, pushed through `createStreamAccumulator` to the finished call; CPU time of the thread (the fold is synchronous).",
  async run(context) {
    const sizes = [50, 100, 200];
    const chunks = new Map(sizes.map((kb) => [kb, chunksFor(kb)] as const));
    for (const kb of sizes) fold(chunks.get(kb)!);
    const times = new Map<number, number[]>(sizes.map((kb) => [kb, []]));
    for (let i = 0; i < Math.max(context.runs, 5); i += 1) for (const kb of sizes) times.get(kb)!.push(fold(chunks.get(kb)!));
    const t = (kb: number) => times.get(kb)!;
    return [
      { bench: "10", what: `100 KB in 4-character deltas (${chunks.get(100)!.length.toLocaleString("en-US")} chunks)`, samples: t(100), unit: "ms", target: { max: 50, text: "≤ 50 ms" } },
      { bench: "10", what: "200 KB ÷ 100 KB (2.00× is linear)", samples: t(200).map((v, i) => v / t(100)[i]!), unit: "×", note: `50 KB: ${median(t(50)).toFixed(1)} ms; 200 KB: ${median(t(200)).toFixed(1)} ms` },
    ];
  },
};

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
