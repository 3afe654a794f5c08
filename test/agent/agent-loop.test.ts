import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runAgentLoop, type AgentLoopConfig } from "../../src/agent/agent-loop.js";
import type { RunEventInput, Usage } from "../../src/events.js";
import type { AssistantTurn, ChatMessage, Model, ModelRequest, StreamOptions, ToolCall } from "../../src/model/types.js";
import { defineTool, type AgentTool } from "../../src/tools/tool.js";

const TURN_USAGE: Usage = { inputTokens: 10, outputTokens: 2 };

function turn(fields: Partial<AssistantTurn>): AssistantTurn {
  return { text: "", thinking: "", toolCalls: [], stopReason: "stop", usage: TURN_USAGE, ...fields };
}
const answer = (text: string): AssistantTurn => turn({ text });
const callTools = (...toolCalls: ToolCall[]): AssistantTurn => turn({ stopReason: "tool_calls", toolCalls });
const toolCall = (id: string, name: string, args: unknown): ToolCall => ({ id, name, arguments: JSON.stringify(args) });

type Step = AssistantTurn | ((request: ModelRequest, options: StreamOptions) => AssistantTurn | Promise<AssistantTurn>);

/** A model that plays back `steps` in order and records a snapshot of every request it gets. */
function scriptedModel(steps: readonly Step[]): { model: Model; requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  const model: Model = {
    id: "scripted",
    async stream(request, options = {}) {
      // The loop keeps appending to the same messages array, so keep a copy of what was sent.
      requests.push(structuredClone(request));
      const step = steps[requests.length - 1];
      if (step === undefined) throw new Error(`the script has ${steps.length} steps; the loop asked for another`);
      return typeof step === "function" ? step(request, options) : step;
    },
  };
  return { model, requests };
}

const echoTool = defineTool({
  name: "echo",
  description: "Echoes its text.",
  parameters: z.object({ text: z.string() }),
  async execute({ text }) {
    return { ok: true, output: `echo: ${text}` };
  },
  summarize: ({ text }) => text,
});

function run(model: Model, overrides: Partial<AgentLoopConfig> = {}) {
  const events: RunEventInput[] = [];
  const outcome = runAgentLoop({
    agentId: "a1",
    model,
    systemPrompt: "You are a test agent.",
    prompt: "Do the task.",
    tools: [echoTool],
    maxTurns: 10,
    emit: (event) => events.push(event),
    signal: new AbortController().signal,
    ...overrides,
  });
  return { outcome, events };
}

const toolMessages = (request: ModelRequest | undefined) =>
  (request?.messages ?? []).filter((m): m is Extract<ChatMessage, { role: "tool" }> => m.role === "tool");

/** A promise with its resolve function, settled by hand from the test. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("runAgentLoop: answers", () => {
  it("sends the system prompt, the task and the tools' specs on the first call", async () => {
    const { model, requests } = scriptedModel([answer("done")]);
    await run(model).outcome;
    expect(requests[0]?.messages).toEqual([
      { role: "system", content: "You are a test agent." },
      { role: "user", content: "Do the task." },
    ]);
    expect(requests[0]?.tools?.map((t) => t.name)).toEqual(["echo"]);
  });

  it("returns the last assistant text as the final answer, with usage summed over every turn", async () => {
    const { model } = scriptedModel([callTools(toolCall("c1", "echo", { text: "hi" })), answer("the answer")]);
    expect(await run(model).outcome).toEqual({
      ok: true,
      text: "the answer",
      usage: { inputTokens: 20, outputTokens: 4 },
      turns: 2,
    });
  });

  it("passes the response format on to the model", async () => {
    const { model, requests } = scriptedModel([answer("{}")]);
    const responseFormat = { name: "answer", schema: { type: "object" } };
    await run(model, { responseFormat }).outcome;
    expect(requests[0]?.responseFormat).toEqual(responseFormat);
  });
});

describe("runAgentLoop: tool calls", () => {
  it("starts every tool call of one turn before any of them finishes", async () => {
    // Each tool waits for the other to start. If the loop ran the calls one after another, the
    // first would wait forever; instead it gives up once every queued promise job has run
    // (setImmediate fires only after they have) and reports that it ran alone, so the test fails
    // fast with no timer.
    const started = new Set<string>();
    const bothStarted = deferred();
    const barrierTool = (name: string, partner: string): AgentTool =>
      defineTool({
        name,
        description: "Waits for its partner to start.",
        parameters: z.object({}),
        async execute() {
          started.add(name);
          if (started.size === 2) bothStarted.resolve();
          await Promise.race([bothStarted.promise, new Promise<void>((resolve) => setImmediate(resolve))]);
          return started.has(partner) ? { ok: true, output: `${name} met ${partner}` } : { ok: false, error: `${name} ran alone` };
        },
      });
    const { model, requests } = scriptedModel([callTools(toolCall("c1", "left", {}), toolCall("c2", "right", {})), answer("done")]);
    const { outcome } = run(model, { tools: [barrierTool("left", "right"), barrierTool("right", "left")] });
    expect((await outcome).ok).toBe(true);
    expect(toolMessages(requests[1]).map((m) => m.content)).toEqual(["left met right", "right met left"]);
  });

  it("sends results back in the order of the calls, each with its call's id and tool name, even when they finish out of order", async () => {
    const fastDone = deferred();
    const slow = defineTool({
      name: "slow",
      description: "Finishes after fast.",
      parameters: z.object({}),
      async execute() {
        // Bounded by setImmediate as in the barrier test, so a sequential loop fails instead of hanging.
        await Promise.race([fastDone.promise, new Promise<void>((resolve) => setImmediate(resolve))]);
        return { ok: true, output: "slow result" };
      },
    });
    const fast = defineTool({
      name: "fast",
      description: "Finishes first.",
      parameters: z.object({}),
      async execute() {
        fastDone.resolve();
        return { ok: true, output: "fast result" };
      },
    });
    const { model, requests } = scriptedModel([callTools(toolCall("c-slow", "slow", {}), toolCall("c-fast", "fast", {})), answer("done")]);
    const { outcome, events } = run(model, { tools: [slow, fast] });
    await outcome;
    expect(events.filter((e) => e.type === "tool_end").map((e) => e.callId)).toEqual(["c-fast", "c-slow"]);
    expect(toolMessages(requests[1])).toEqual([
      { role: "tool", toolCallId: "c-slow", name: "slow", content: "slow result" },
      { role: "tool", toolCallId: "c-fast", name: "fast", content: "fast result" },
    ]);
    expect(requests[1]?.messages[2]).toEqual({
      role: "assistant",
      content: "",
      toolCalls: [toolCall("c-slow", "slow", {}), toolCall("c-fast", "fast", {})],
    });
  });

  it("sends an unknown tool back to the model as an error result naming the available tools, and carries on", async () => {
    const { model, requests } = scriptedModel([callTools(toolCall("c1", "delete_everything", {})), answer("sorry")]);
    const { outcome, events } = run(model);
    expect(await outcome).toMatchObject({ ok: true, text: "sorry" });
    expect(toolMessages(requests[1])).toEqual([
      { role: "tool", toolCallId: "c1", name: "delete_everything", content: 'Error: unknown tool "delete_everything"; available: echo' },
    ]);
    expect(events.find((e) => e.type === "tool_end")).toMatchObject({ ok: false, tool: "delete_everything" });
  });

  it("sends arguments that are not JSON back to the model as an error result, and carries on", async () => {
    const { model, requests } = scriptedModel([callTools({ id: "c1", name: "echo", arguments: "{text: hi" }), answer("retrying")]);
    expect(await run(model).outcome).toMatchObject({ ok: true, text: "retrying" });
    const content = toolMessages(requests[1])[0]?.content ?? "";
    expect(content).toMatch(/^Error: arguments are not valid JSON \(.+\); send one JSON object$/);
  });

  it("sends arguments of the wrong shape back as an error result naming the field", async () => {
    const { model, requests } = scriptedModel([callTools(toolCall("c1", "echo", { text: 5 })), answer("ok")]);
    await run(model).outcome;
    expect(toolMessages(requests[1])[0]?.content).toBe("Error: invalid arguments: text: Invalid input: expected string, received number");
  });
});

describe("runAgentLoop: turn limit", () => {
  it("makes the last allowed call without tools and appends the turn-limit note to the last tool result", async () => {
    const { model, requests } = scriptedModel([callTools(toolCall("c1", "echo", { text: "hi" })), answer("final")]);
    expect(await run(model, { maxTurns: 2 }).outcome).toMatchObject({ ok: true, text: "final", turns: 2 });
    expect(requests[0]?.tools).toHaveLength(1);
    expect(requests[1]).not.toHaveProperty("tools");
    expect(requests[1]?.messages.at(-1)).toEqual({
      role: "tool",
      toolCallId: "c1",
      name: "echo",
      content:
        "echo: hi\n\n[agentwf] You have used all your turns for tools. Answer now with your final answer, from what you have found so far.",
    });
    expect(requests[1]?.messages.filter((m) => m.role === "user")).toHaveLength(1);
  });

  it("with one turn allowed, makes that call without tools and adds no note", async () => {
    const { model, requests } = scriptedModel([answer("only")]);
    expect(await run(model, { maxTurns: 1 }).outcome).toMatchObject({ ok: true, text: "only", turns: 1 });
    expect(requests[0]).not.toHaveProperty("tools");
    expect(requests[0]?.messages).toHaveLength(2);
  });
});

describe("runAgentLoop: failures", () => {
  it("returns the model's error kind and message when the model call fails", async () => {
    const { model } = scriptedModel([turn({ stopReason: "error", error: { kind: "rate_limit", message: "429: slow down" } })]);
    expect(await run(model).outcome).toEqual({
      ok: false,
      kind: "rate_limit",
      error: "429: slow down",
      usage: TURN_USAGE,
      turns: 1,
    });
  });

  it('returns kind "aborted" when the model call ends aborted', async () => {
    const { model } = scriptedModel([turn({ stopReason: "aborted" })]);
    expect(await run(model).outcome).toMatchObject({ ok: false, kind: "aborted", error: "cancelled", turns: 1 });
  });

  it('returns kind "aborted" without another model call when the signal fires while tools run', async () => {
    const controller = new AbortController();
    const abortingTool = defineTool({
      name: "echo",
      description: "Aborts the run.",
      parameters: z.object({}),
      async execute() {
        controller.abort();
        return { ok: true, output: "done" };
      },
    });
    const { model, requests } = scriptedModel([callTools(toolCall("c1", "echo", {}))]);
    const outcome = await run(model, { tools: [abortingTool], signal: controller.signal }).outcome;
    expect(outcome).toMatchObject({ ok: false, kind: "aborted", turns: 1 });
    expect(requests).toHaveLength(1);
  });

  it("after an empty answer, asks once for the answer and returns it", async () => {
    const { model, requests } = scriptedModel([answer("  "), answer("here it is")]);
    expect(await run(model).outcome).toMatchObject({ ok: true, text: "here it is", turns: 2 });
    expect(requests[1]?.messages.slice(-2)).toEqual([
      { role: "assistant", content: "  ", toolCalls: [] },
      { role: "user", content: "Your last reply was empty. Give your final answer now as text." },
    ]);
  });

  it('fails with kind "empty_answer" when the answer is still empty after the one nudge', async () => {
    const { model, requests } = scriptedModel([answer(""), answer("")]);
    expect(await run(model).outcome).toEqual({
      ok: false,
      kind: "empty_answer",
      error: "the model gave an empty answer",
      usage: { inputTokens: 20, outputTokens: 4 },
      turns: 2,
    });
    expect(requests).toHaveLength(2);
  });
});

describe("runAgentLoop: events", () => {
  it("emits text, thinking, retry, usage and tool events in the order they happen", async () => {
    const { model } = scriptedModel([
      (_request, { onDelta }) => {
        onDelta?.({ type: "thinking", delta: "hmm" });
        onDelta?.({ type: "retry", attempt: 1, delayMs: 250, reason: "HTTP 503" });
        onDelta?.({ type: "text", delta: "Let me " });
        onDelta?.({ type: "text", delta: "look." });
        onDelta?.({ type: "usage", usage: TURN_USAGE });
        return callTools(toolCall("c1", "echo", { text: "hi" }));
      },
      (_request, { onDelta }) => {
        onDelta?.({ type: "text", delta: "Done." });
        return answer("Done.");
      },
    ]);
    const { outcome, events } = run(model);
    await outcome;
    expect(events).toEqual([
      { type: "agent_thinking", agentId: "a1", delta: "hmm" },
      { type: "model_retry", agentId: "a1", attempt: 1, delayMs: 250, reason: "HTTP 503" },
      { type: "agent_text", agentId: "a1", delta: "Let me " },
      { type: "agent_text", agentId: "a1", delta: "look." },
      { type: "usage", agentId: "a1", usage: TURN_USAGE },
      { type: "tool_start", agentId: "a1", callId: "c1", tool: "echo", summary: "echo hi" },
      { type: "tool_end", agentId: "a1", callId: "c1", tool: "echo", ok: true, summary: "echo: hi" },
      { type: "agent_text", agentId: "a1", delta: "Done." },
      { type: "usage", agentId: "a1", usage: TURN_USAGE },
    ]);
  });

  it("summarizes a failed tool call's end event with its error", async () => {
    const { model } = scriptedModel([callTools(toolCall("c1", "echo", { text: 1 })), answer("ok")]);
    const { outcome, events } = run(model);
    await outcome;
    expect(events.find((e) => e.type === "tool_end")).toEqual({
      type: "tool_end",
      agentId: "a1",
      callId: "c1",
      tool: "echo",
      ok: false,
      summary: "invalid arguments: text: Invalid input: expected string, received number",
    });
  });
});

describe("runAgentLoop: refusals, cut answers and time bounds", () => {
  it("a refusal ends the agent at once with the refusal's words, without asking again", async () => {
    const { model, requests } = scriptedModel([turn({ stopReason: "refused", refusal: "I'm very sorry, but I can't assist with that request." })]);
    expect(await run(model).outcome).toEqual({
      ok: false,
      kind: "refused",
      error: "the model refused: I'm very sorry, but I can't assist with that request.",
      usage: TURN_USAGE,
      turns: 1,
    });
    expect(requests).toHaveLength(1);
  });

  it("an answer cut at the output limit is returned marked as incomplete, and a warning tells the person", async () => {
    const { model } = scriptedModel([turn({ stopReason: "length", text: "The holiday is called Starlight and it" })]);
    const { outcome, events } = run(model);
    expect(await outcome).toEqual({
      ok: true,
      text: "The holiday is called Starlight and it\n\n[agentwf: this answer is incomplete: the model stopped at its output token limit]",
      usage: TURN_USAGE,
      turns: 1,
      truncated: true,
    });
    expect(events).toContainEqual({ type: "warning", message: "a1: the answer is incomplete: the model stopped at its output token limit" });
  });

  it("a cut with no answer text at all fails as truncated instead of asking again for the same", async () => {
    const { model, requests } = scriptedModel([turn({ stopReason: "length", thinking: "We need to respond to a greeting. The user" })]);
    expect(await run(model).outcome).toMatchObject({ ok: false, kind: "truncated", error: "the model reached its output token limit before writing an answer" });
    expect(requests).toHaveLength(1);
  });

  it("passes its model time bound (the parent's --timeout) to every model call", async () => {
    const seen: Array<number | undefined> = [];
    const { model } = scriptedModel([
      (_r, options) => (seen.push(options.timeoutMs), callTools(toolCall("c1", "echo", { text: "x" }))),
      (_r, options) => (seen.push(options.timeoutMs), answer("done")),
    ]);
    await run(model, { modelTimeoutMs: 90_000 }).outcome;
    expect(seen).toEqual([90_000, 90_000]);
  });
});
