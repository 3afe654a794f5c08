// The floor for benchmark 2: the least a program can do to make the same requests as an agentwf
// fan-out — the openai SDK and a semaphore, no sandbox, no UI, no tools, no store. Each item makes
// one streamed request, answers the tool call it gets with a fixed result, and makes a second
// streamed request for the answer, as each agentwf sub-agent does.
//
//   node bench/floor.mjs BASE_URL N CONCURRENCY
import OpenAI from "openai";

const [baseURL, n, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const client = new OpenAI({ baseURL, apiKey: "bench", maxRetries: 0 });
const tools = [{ type: "function", function: { name: "list_dir", description: "List a directory.", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } } }];

async function stream(messages) {
  const chunks = await client.chat.completions.create({ model: "bench", messages, tools, stream: true, stream_options: { include_usage: true } });
  let text = "";
  const calls = [];
  for await (const chunk of chunks) {
    const delta = chunk.choices[0]?.delta;
    if (delta?.content) text += delta.content;
    for (const call of delta?.tool_calls ?? []) {
      const slot = (calls[call.index] ??= { id: "", name: "", arguments: "" });
      if (call.id) slot.id = call.id;
      if (call.function?.name) slot.name += call.function.name;
      if (call.function?.arguments) slot.arguments += call.function.arguments;
    }
  }
  return { text, calls };
}

async function item(i) {
  const messages = [{ role: "system", content: "You answer." }, { role: "user", content: `item ${i}: list the workspace and say done` }];
  for (;;) {
    const { text, calls } = await stream(messages);
    if (calls.length === 0) return text;
    messages.push({ role: "assistant", content: text || null, tool_calls: calls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.arguments } })) });
    for (const call of calls) messages.push({ role: "tool", tool_call_id: call.id, content: "README.md\nsrc/" });
  }
}

let next = 0;
const results = [];
async function worker() {
  while (next < n) {
    const i = next;
    next += 1;
    results[i] = await item(i);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
process.stdout.write(`finished ${results.length}\n`);
