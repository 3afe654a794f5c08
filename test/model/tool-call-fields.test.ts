// Gemini 3 on its OpenAI-compatible endpoint puts `extra_content.google.thought_signature` on each
// tool call and answers 400 when the next request's assistant tool call lacks it. Every field of a
// call that we do not read must go back exactly as the server sent it.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runAgentLoop } from "../../src/agent/agent-loop.js";
import { createOpenAIClient, createOpenAIModel } from "../../src/model/openai-model.js";
import { defineTool } from "../../src/tools/tool.js";
import { text } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest } from "../helpers/model-harness.js";

const start = fakeServerPerTest();

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: "gem-1", object: "chat.completion.chunk", created: 1, model: "gemini-3-pro-preview", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

const SIGNATURE_A = { google: { thought_signature: "CiQBjz1rX0fSyIAtM3VdB8lE+Jm2w5Q==" } };
const SIGNATURE_B = { google: { thought_signature: "EiYKJGE1ZDQ2ZjYxLTk1YjctNDk0NS1hZWI2" } };

describe("unknown fields of assistant tool calls", () => {
  it("go back unchanged in the next request: Gemini's thought signatures on parallel calls, and a field inside function", async () => {
    const server = await start((request) =>
      request.index === 0
        ? {
            kind: "sse",
            events: [
              chunk({ role: "assistant", tool_calls: [{ id: "function-call-1", type: "function", function: { name: "read_file", arguments: '{"path":"a.txt"}' }, extra_content: SIGNATURE_A }] }),
              chunk({ tool_calls: [{ id: "function-call-2", type: "function", function: { name: "read_file", arguments: '{"path":"b.txt"}', strict: false }, extra_content: SIGNATURE_B }] }),
              chunk({}, "tool_calls"),
              "data: [DONE]\n\n",
            ],
          }
        : text("both read"),
    );
    const readFile = defineTool({
      name: "read_file",
      description: "Reads a file.",
      parameters: z.object({ path: z.string() }),
      async execute({ path }) {
        return { ok: true, output: `contents of ${path}` };
      },
    });
    const outcome = await runAgentLoop({
      agentId: "a1",
      model: createOpenAIModel({ id: "gemini/gemini-3-pro-preview", model: "gemini-3-pro-preview", client: createOpenAIClient(server.baseUrl, "k") }),
      systemPrompt: "s",
      prompt: "read both",
      tools: [readFile],
      maxTurns: 3,
      emit: () => undefined,
      signal: new AbortController().signal,
    });
    expect(outcome).toMatchObject({ ok: true, text: "both read" });
    const assistant = server.requests[1]?.body.messages.find((message) => message.role === "assistant");
    expect(assistant?.tool_calls).toEqual([
      { id: "function-call-1", type: "function", function: { name: "read_file", arguments: '{"path":"a.txt"}' }, extra_content: SIGNATURE_A },
      { id: "function-call-2", type: "function", function: { name: "read_file", arguments: '{"path":"b.txt"}', strict: false }, extra_content: SIGNATURE_B },
    ]);
  });
});
