// Replays 57 chat-completions streams recorded from real providers (../shared/replay-fixtures,
// written by other projects, read at test time and never copied here) through a real local HTTP
// server, the real client and the real agent loop. Each file's expected answer, thinking, tool
// calls, usage and outcome below were written from reading that file, not from running agentwf.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runAgentLoop, TRUNCATED_NOTE } from "../../src/agent/agent-loop.js";
import type { RunEventInput, Usage } from "../../src/events.js";
import { createOpenAIClient, createOpenAIModel } from "../../src/model/openai-model.js";
import { defineTool, type AgentTool } from "../../src/tools/tool.js";
import { text, type Reply } from "../helpers/fake-openai-server.js";
import { fakeServerPerTest } from "../helpers/model-harness.js";

/** A long text, checked by its length and both ends. */
interface Long {
  readonly length: number;
  readonly starts: string;
  readonly ends: string;
}
const long = (length: number, starts: string, ends: string): Long => ({ length, starts, ends });

interface Expected {
  /** done: a complete answer; truncated: cut at the output limit; refused; error: the stream failed. */
  readonly outcome: "done" | "truncated" | "refused" | "error";
  /** The answer text of the recorded turn (what the pane shows, and the answer when there are no calls). */
  readonly text: string | Long;
  readonly thinking?: string | Long;
  readonly calls?: ReadonlyArray<{ readonly id: string; readonly name: string; readonly arguments: string }>;
  readonly refusal?: string;
  /** The server's error message, as the stream carried it. */
  readonly error?: string;
  /** The recorded turn's usage (the last usage the stream reported). */
  readonly usage: Usage;
}

const EXPECTED: Record<string, Expected> = {
  "alibaba--qwen-reasoning.chunks.txt": {
    outcome: "done",
    text: long(816, "The word **\"strawberry\"** contains **3**", "returns `3`).  \n\n**Answer: 3**"),
    thinking: long(3301, "We are asked: \"How many 'r's are in the ", " 3.\n\nYes.\n\nSo final answer: 3."),
    usage: {inputTokens: 24, outputTokens: 1355},
  },
  "alibaba--qwen-text.chunks.txt": {
    outcome: "done",
    text: long(3771, "## The Festival of Shared Stories: \"Tale", "ters. We are woven together.\"*"),
    usage: {inputTokens: 18, outputTokens: 779},
  },
  "alibaba--qwen3-max-tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    calls: [{ id: "call_eee11723464a4b9eb8cee71d", name: "weather", arguments: "{\"location\": \"San Francisco\"}" }],
    usage: {inputTokens: 295, outputTokens: 22},
  },
  "azure--deepseek-v4-reasoning.chunks.txt": {
    outcome: "done",
    text: long(2665, "Exciting news, Knicks fans—there's a bra", " April 4—from the logo! 🎯🧡💙"),
    thinking: long(3832, "We need to invent a new holiday around t", "ms fun. I'll craft a response."),
    usage: {inputTokens: 19, outputTokens: 1720},
  },
  "azure--gpt-5-nano-model-router.chunks.txt": {
    outcome: "done",
    text: "Capital of Denmark.",
    usage: {inputTokens: 15, outputTokens: 78},
  },
  "crusoe--llama-text.sse": {
    outcome: "done",
    text: "1, 2, 3, 4, 5",
    usage: {inputTokens: 46, outputTokens: 14},
  },
  "deepseek--reasoner-thinking.sse": {
    outcome: "done",
    text: "Hello there! 😊 How can I help you today?",
    thinking: long(882, "Hmm, the user just said \"Hello\". It's a ", "further - and that's okay too."),
    usage: {inputTokens: 6, outputTokens: 212},
  },
  "deepseek--reasoning.chunks.txt": {
    outcome: "done",
    text: "The word \"strawberry\" contains three \"r\"s.",
    thinking: long(606, "We need to count the number of the lette", "es, 3.\n\nThus, the answer is 3."),
    usage: {inputTokens: 18, outputTokens: 219},
  },
  "deepseek--text-length.chunks.txt": {
    outcome: "truncated",
    text: long(1855, "## **Holiday Name:** Starlight Remembran", "5 minutes of silent looking at"),
    usage: {inputTokens: 13, outputTokens: 400},
  },
  "deepseek--tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    thinking: long(191, "The user is asking for the weather in Sa", "ameter set to \"San Francisco\"."),
    calls: [{ id: "call_00_ioIn7yN9p1ZOMNpDLwd4MgAF", name: "weather", arguments: "{\"location\": \"San Francisco\"}" }],
    usage: {inputTokens: 339, outputTokens: 83, cachedInputTokens: 320},
  },
  "groq--compound-web-search.sse": {
    outcome: "done",
    text: long(200, "The weather in San Francisco today is pa", "nd a humidity level of 90-94%."),
    thinking: long(6256, "<think>\nTo find the current weather in S", "61°F (17°C) and high humidity."),
    usage: {inputTokens: 5003, outputTokens: 359},
  },
  "groq--gpt-oss-error-after-text.sse": {
    outcome: "error",
    text: "maybe",
    thinking: long(361, "The user says: \"dont make a tool call, j", "ll. So just plain text: maybe."),
    error: "Tool choice is required, but model did not call a tool",
    usage: {inputTokens: 0, outputTokens: 0},
  },
  "groq--gpt-oss-error-event.sse": {
    outcome: "error",
    text: "",
    thinking: long(412, "We need to call the tool with invalid pa", "h name: \"test\". Let's do that."),
    error: "Tool call validation failed: tool call validation failed: parameters for tool get_something_by_name did not match schema: errors: [missing properties: 'name', additionalProperties 'invalid_param' not allowed]",
    usage: {inputTokens: 0, outputTokens: 0},
  },
  "groq--gpt-oss-tool-call.sse": {
    outcome: "done",
    text: "",
    thinking: "We need to call the function with correct parameter \"name\". Provide a name, e.g., \"example\".",
    calls: [{ id: "fc_bfb39741-3748-4def-9886-a93fc9c64a90", name: "get_something_by_name", arguments: "{\"name\":\"example\"}" }],
    usage: {inputTokens: 304, outputTokens: 49},
  },
  "groq--llama-text.chunks.txt": {
    outcome: "done",
    text: long(3189, "Introducing \"Luminaria\" - a new holiday ", "iation for the magic of light."),
    usage: {inputTokens: 45, outputTokens: 662},
  },
  "groq--qwen3-32b-reasoning.chunks.txt": {
    outcome: "done",
    text: long(347, "The word **\"strawberry\"** is spelled as ", "\n**Final Answer**: $\\boxed{3}$"),
    thinking: long(2952, "Okay, let me try to figure out how many ", "R's in \"strawberry\" is three.\n"),
    usage: {inputTokens: 17, outputTokens: 1107},
  },
  "groq--r1-distill-think-tags.sse": {
    outcome: "done",
    text: long(2051, "To make Uruguayan alfajores, follow thes", " homemade Uruguayan alfajores!"),
    thinking: long(1977, "\nOkay, so I want to make Uruguayan alfaj", "ight, I can adjust next time.\n"),
    usage: {inputTokens: 21, outputTokens: 988},
  },
  "groq--tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    calls: [{ id: "tk85n1k4m", name: "weather", arguments: "{}" }],
    usage: {inputTokens: 210, outputTokens: 15},
  },
  "huggingface--novita-llama-text.sse": {
    outcome: "done",
    text: "Paris",
    usage: {inputTokens: 40, outputTokens: 2},
  },
  "huggingface--together-r1-think.sse": {
    outcome: "done",
    text: long(2558, "Crossing the street safely requires atte", "me—it could save your life! 🌟"),
    thinking: long(1430, "\nOkay, the user asked \"How do I cross th", " sound like a paranoid robot.\n"),
    usage: {inputTokens: 10, outputTokens: 955},
  },
  "llamacpp--gpt-oss-harmony-text.chunks.txt": {
    outcome: "done",
    text: "Got it! If you have any questions or need assistance, just let me know.",
    thinking: "User says \"test\". Likely wants a test response. We'll respond acknowledging.",
    usage: {inputTokens: 82, outputTokens: 43},
  },
  "mistral--glm-incremental-tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    calls: [{ id: "chatcmpl-tool-9f149c74c42f265b", name: "webSearchTool", arguments: "{\"query\": \"current Berlin weather\"}" }],
    usage: {inputTokens: 171, outputTokens: 14, cachedInputTokens: 128},
  },
  "mistral--magistral-reasoning.chunks.txt": {
    outcome: "done",
    text: "2 + 2 = 4",
    thinking: "The user is asking for 2+2. This is basic arithmetic. 2+2=4.",
    usage: {inputTokens: 10, outputTokens: 46},
  },
  "mistral--magistral-thinking.sse": {
    outcome: "done",
    text: long(607, "To cross the street safely, follow these", "ou can ensure a safe crossing."),
    thinking: long(421, "Okay, the user is asking how to cross th", " a clear and concise response."),
    usage: {inputTokens: 10, outputTokens: 232},
  },
  "mistral--small-thinking-parts.chunks.txt": {
    outcome: "done",
    text: "391",
    thinking: long(335, "Okay, the user is asking for the product", " 51 = 391.\n\nSo, 17 * 23 = 391."),
    usage: {inputTokens: 28, outputTokens: 139},
  },
  "mistral--text.chunks.txt": {
    outcome: "done",
    text: "Hello, world! This is a test response.",
    usage: {inputTokens: 13, outputTokens: 8},
  },
  "mistral--tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    calls: [{ id: "gSIMJiOkT", name: "weather", arguments: "{\"location\": \"San Francisco\"}" }],
    usage: {inputTokens: 124, outputTokens: 22},
  },
  "neon--bedrock-claude-text.chunks.txt": {
    outcome: "done",
    text: "1\n2\n3\n4\n5",
    usage: {inputTokens: 16, outputTokens: 13},
  },
  "ollama--qwen-coder-parallel-tools.chunks.txt": {
    outcome: "done",
    text: "",
    calls: [{ id: "call_wteop8bt", name: "run_command", arguments: "{\"command\":\"ls\"}" }, { id: "call_rk2xye1l", name: "run_command", arguments: "{\"command\":\"ls -l\"}" }],
    usage: {inputTokens: 0, outputTokens: 0},
  },
  "openai--gpt-4.1-nano-text.chunks.txt": {
    outcome: "done",
    text: long(1724, "**Holiday Name:** Harmony Day\n\n**Date:**", "xperiences and mutual respect."),
    usage: {inputTokens: 16, outputTokens: 300},
  },
  "openai--gpt-4o-leading-newlines.sse": {
    outcome: "done",
    text: "\n\n{\"city\":\"San Francisco\",\"units\":\"c\"}",
    usage: {inputTokens: 17, outputTokens: 10},
  },
  "openai--gpt-4o-long-tool-args.sse": {
    outcome: "done",
    text: "",
    calls: [{ id: "call_CCGIWaMeYWmxOQ91orkmTvzn", name: "final_result", arguments: "{\"answers\":[{\"label\":\"Capital\",\"answer\":\"The capital of Mexico is Mexico City.\"},{\"label\":\"Weather\",\"answer\":\"The weather in Mexico City is currently sunny.\"},{\"label\":\"Product Name\",\"answer\":\"The product name is Pydantic AI.\"}]}" }],
    usage: {inputTokens: 448, outputTokens: 62},
  },
  "openai--gpt-4o-mini-tool-call.sse": {
    outcome: "done",
    text: "",
    calls: [{ id: "call_ZR5UUuTt3pf61kjwAJIYdVMj", name: "get_capital", arguments: "{\"country\":\"UK\"}" }],
    usage: {inputTokens: 53, outputTokens: 15},
  },
  "openai--gpt-4o-parallel-tools-args.sse": {
    outcome: "done",
    text: "",
    calls: [{ id: "call_NS4iQj14cDFwc0BnrKqDHavt", name: "get_weather", arguments: "{\"city\": \"Mexico City\"}" }, { id: "call_SkGkkGDvHQEEk0CGbnAh2AQw", name: "get_product_name", arguments: "{}" }],
    usage: {inputTokens: 417, outputTokens: 44},
  },
  "openai--gpt-4o-parallel-tools.sse": {
    outcome: "done",
    text: "",
    calls: [{ id: "call_q2UyBRP7eXNTzAoR8lEhjc9Z", name: "get_country", arguments: "{}" }, { id: "call_b51ijcpFkDiTQG1bQzsrmtW5", name: "get_product_name", arguments: "{}" }],
    usage: {inputTokens: 364, outputTokens: 40},
  },
  "openai--gpt-4o-refusal.sse": {
    outcome: "refused",
    text: "",
    refusal: "I'm very sorry, but I can't assist with that request.",
    usage: {inputTokens: 17, outputTokens: 13},
  },
  "openai--gpt-4o-structured-text.sse": {
    outcome: "done",
    text: "{\"city\":\"San Francisco\",\"units\":\"c\"}",
    usage: {inputTokens: 17, outputTokens: 10},
  },
  "openai--gpt-4o-text-then-tool.chunks.txt": {
    outcome: "done",
    text: "PRE_TOOL",
    calls: [{ id: "call_NZa7xqfefoaMI2YYHowVXVlU", name: "weather", arguments: "{}" }],
    usage: {inputTokens: 58, outputTokens: 12},
  },
  "openai--gpt-5-moderation-chunk.sse": {
    outcome: "done",
    text: "Paris.",
    usage: {inputTokens: 13, outputTokens: 11},
  },
  "openrouter--advisor-server-tool.sse": {
    outcome: "done",
    text: "I recommend naming your Python retry library `resilix`, as it conveys resilience and is modern and brandable.",
    usage: {inputTokens: 888, outputTokens: 74, costUsd: 0.0145476},
  },
  "openrouter--claude-cache.sse": {
    outcome: "done",
    text: "Hello!",
    usage: {inputTokens: 254, outputTokens: 5, costUsd: 0.000837},
  },
  "openrouter--claude-reasoning.sse": {
    outcome: "done",
    text: "2 + 2 = 4",
    thinking: "This is a simple arithmetic question. 2+2 equals 4.",
    usage: {inputTokens: 43, outputTokens: 36, costUsd: 0.000669},
  },
  "openrouter--fallback-models.sse": {
    outcome: "done",
    text: long(284, "I'm Grok, an AI built by xAI. I'm design", "the way). What's on your mind?"),
    usage: {inputTokens: 687, outputTokens: 187, cachedInputTokens: 679, costUsd: 0.00333825},
  },
  "openrouter--minimax-error-chunk.sse": {
    outcome: "error",
    text: "",
    thinking: "We need to respond to a greeting. The user",
    error: "Token limit reached",
    usage: {inputTokens: 43, outputTokens: 10, costUsd: 0},
  },
  "openrouter--o3-reasoning.sse": {
    outcome: "done",
    text: long(446, "I’m ChatGPT, a large-language-model assi", "e help with, just let me know!"),
    usage: {inputTokens: 9, outputTokens: 104, costUsd: 0.00085},
  },
  "openrouter--web-search-annotations.sse": {
    outcome: "done",
    text: "The URL for Pydantic AI's GitHub repository is:  \n\nhttps://github.com/pydantic/pydantic-ai",
    usage: {inputTokens: 2317, outputTokens: 53, costUsd: 0.0076509169000000005},
  },
  "perplexity--sonar-citations.chunks.txt": {
    outcome: "done",
    text: "The current population of **[2][3]",
    usage: {inputTokens: 10, outputTokens: 336},
  },
  "perplexity--sonar-text.chunks.txt": {
    outcome: "done",
    text: "**EcoVista Day**[1][5]",
    usage: {inputTokens: 11, outputTokens: 434},
  },
  "siliconflow--qwen3-text.chunks.txt": {
    outcome: "done",
    text: "Hello! How can I help you today?",
    usage: {inputTokens: 10, outputTokens: 8},
  },
  "snowflake--claude-no-finish.sse": {
    outcome: "done",
    text: "4",
    usage: {inputTokens: 22, outputTokens: 5},
  },
  "snowflake--claude-thinking.sse": {
    outcome: "done",
    text: "15 × 27 = **405**\n\nHere's the breakdown:\n- 15 × 20 = 300\n- 15 × 7 = 105\n- 300 + 105 = **405**",
    usage: {inputTokens: 45, outputTokens: 73},
  },
  "vllm--qwen-tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    calls: [{ id: "chatcmpl-tool-ca99dda515524c6abe47d1ea22813507", name: "run_command", arguments: "{\"command\": \"ls\"}" }],
    usage: {inputTokens: 0, outputTokens: 0},
  },
  "xai--compat-reasoning-text.chunks.txt": {
    outcome: "done",
    text: "Grok",
    thinking: long(1455, "First, the user said: \"Say a single word", "just the word.\n\nResponse: Grok"),
    usage: {inputTokens: 12, outputTokens: 2, cachedInputTokens: 11},
  },
  "xai--compat-tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    thinking: long(1069, "First, the user is asking about the weat", "this is the logical next step."),
    calls: [{ id: "call_79382389", name: "weather", arguments: "{\"location\":\"San Francisco\"}" }],
    usage: {inputTokens: 307, outputTokens: 26, cachedInputTokens: 306},
  },
  "xai--grok-3-mini-text.chunks.txt": {
    outcome: "done",
    text: "Hello",
    thinking: "First, the user said",
    usage: {inputTokens: 12, outputTokens: 1, cachedInputTokens: 11},
  },
  "xai--grok-3-mini-tool-call.chunks.txt": {
    outcome: "done",
    text: "",
    thinking: "First, the user is",
    calls: [{ id: "call_55117580", name: "weather", arguments: "{\"location\":\"San Francisco\"}" }],
    usage: {inputTokens: 291, outputTokens: 26, cachedInputTokens: 290},
  },
  "zai--glm-thinking.sse": {
    outcome: "done",
    text: "4",
    thinking: long(2173, "\n1.  **Analyze the User's Request:** The", "aft the final response:** \"4\"."),
    usage: {inputTokens: 13, outputTokens: 564},
  },
};

/**
 * The fixtures sit beside the repository (CI clones it next to a copy of shared/). From a git
 * worktree, the main checkout's neighbour is tried too.
 */
function fixturesDir(): string | undefined {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
  const roots = [root];
  const dotGit = join(root, ".git");
  if (existsSync(dotGit) && statSync(dotGit).isFile()) {
    // A worktree's .git file: "gitdir: <main>/.git/worktrees/<name>".
    const gitdir = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"))?.[1]?.trim();
    if (gitdir !== undefined) roots.push(resolve(gitdir, "../../.."));
  }
  return roots.map((r) => resolve(r, "../shared/replay-fixtures")).find((dir) => existsSync(dir));
}

const DIR = fixturesDir();
const FOLLOW_UP = "replay finished";
const FOLLOW_UP_USAGE: Usage = { inputTokens: 1, outputTokens: 1 };

/** The body as the provider sent it: `.sse` byte for byte, `.chunks.txt` one `data:` event a line. */
function replayReply(file: string): Reply {
  const path = join(DIR ?? "", file);
  if (file.endsWith(".sse")) return { kind: "sse", events: [readFileSync(path)] };
  const lines = readFileSync(path, "utf8").split("\n").filter((line) => line.trim() !== "");
  return { kind: "sse", events: [...lines.map((line) => `data: ${line}\n\n`), "data: [DONE]\n\n"] };
}

function expectText(actual: string, expected: string | Long, what: string): void {
  if (typeof expected === "string") return void expect(actual, what).toBe(expected);
  expect({ length: actual.length, starts: actual.slice(0, expected.starts.length), ends: actual.slice(-expected.ends.length) }, what).toEqual(expected);
}

const textOf = (expected: string | Long): string => (typeof expected === "string" ? expected : "");

const start = fakeServerPerTest();

async function replay(file: string, expected: Expected) {
  const server = await start((request) => (request.index === 0 ? replayReply(file) : text(FOLLOW_UP, { usage: { prompt: 1, completion: 1 } })));
  const received: Array<{ tool: string; args: unknown }> = [];
  const names = [...new Set((expected.calls ?? []).map((call) => call.name))];
  const tools: AgentTool[] = names.map((name) =>
    defineTool({
      name,
      description: `The recorded ${name} tool.`,
      parameters: z.record(z.string(), z.unknown()),
      async execute(args) {
        received.push({ tool: name, args });
        return { ok: true, output: `${name} result` };
      },
    }),
  );
  const events: RunEventInput[] = [];
  const outcome = await runAgentLoop({
    agentId: "replay",
    model: createOpenAIModel({
      id: `replay/${file.split("--")[0] ?? "provider"}`,
      model: "recorded-model",
      client: createOpenAIClient(server.baseUrl, "sk-replay"),
      // One attempt: the outcome under test is the recording's own, not a retry's.
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    }),
    systemPrompt: "Replay.",
    prompt: "Replay the recording.",
    tools,
    maxTurns: 5,
    emit: (event) => events.push(event),
    signal: new AbortController().signal,
  });
  // What the pane showed during the recorded turn: the deltas before its usage event.
  const turnEnd = events.findIndex((event) => event.type === "usage");
  const firstTurn = events.slice(0, turnEnd === -1 ? events.length : turnEnd);
  const streamed = (type: "agent_text" | "agent_thinking") =>
    firstTurn.map((event) => (event.type === type ? event.delta : "")).join("");
  return { server, outcome, events, received, paneText: streamed("agent_text"), paneThinking: streamed("agent_thinking") };
}

describe.skipIf(DIR === undefined)("replayed provider streams (../shared/replay-fixtures)", () => {
  it("has an expectation for every recording in the folder, and a recording for every expectation", () => {
    const files = readdirSync(DIR ?? "").filter((name) => name.endsWith(".sse") || name.endsWith(".chunks.txt")).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    expect(files).toHaveLength(57);
  });

  it.each(Object.entries(EXPECTED))("%s", async (file, expected) => {
    const { server, outcome, received, paneText, paneThinking, events } = await replay(file, expected);
    const calls = expected.calls ?? [];

    // The pane: answer text only, never reasoning, and reasoning as thinking.
    expectText(paneText, expected.text, "streamed answer text");
    expectText(paneThinking, expected.thinking ?? "", "streamed thinking");

    switch (expected.outcome) {
      case "done":
        if (calls.length === 0) {
          expect(outcome.ok).toBe(true);
          if (outcome.ok) expectText(outcome.text, expected.text, "answer");
          expect(outcome.usage).toEqual(expected.usage);
          expect(server.requests).toHaveLength(1);
        } else {
          expect(outcome).toMatchObject({ ok: true, text: FOLLOW_UP, turns: 2 });
          expect(server.requests).toHaveLength(2);
        }
        break;
      case "truncated":
        expect(outcome).toMatchObject({ ok: true, truncated: true });
        if (outcome.ok) {
          expect(outcome.text.endsWith(`\n\n${TRUNCATED_NOTE}`)).toBe(true);
          expectText(outcome.text.slice(0, -`\n\n${TRUNCATED_NOTE}`.length), expected.text, "truncated answer");
        }
        expect(events).toContainEqual({ type: "warning", message: "replay: the answer is incomplete: the model stopped at its output token limit" });
        expect(outcome.usage).toEqual(expected.usage);
        break;
      case "refused":
        expect(outcome).toEqual({ ok: false, kind: "refused", error: `the model refused: ${expected.refusal ?? ""}`, usage: expected.usage, turns: 1 });
        expect(server.requests).toHaveLength(1);
        break;
      case "error":
        expect(outcome).toMatchObject({ ok: false, error: `error in the stream: ${expected.error ?? ""}`, turns: 1 });
        expect(outcome.usage).toEqual(expected.usage);
        expect(server.requests).toHaveLength(1);
        break;
    }

    if (calls.length > 0) {
      // The calls go back exactly as the provider made them, each answered under its own id.
      const follow = server.requests[1]?.body.messages ?? [];
      const assistant = follow.find((message) => message.role === "assistant");
      expect(assistant).toEqual({
        role: "assistant",
        content: textOf(expected.text) === "" ? null : textOf(expected.text),
        tool_calls: calls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } })),
      });
      const results = follow.filter((message) => message.role === "tool");
      expect(results.map((message) => [message.tool_call_id, message.content])).toEqual(calls.map((call) => [call.id, `${call.name} result`]));
      expect(received).toEqual(calls.map((call) => ({ tool: call.name, args: JSON.parse(call.arguments) as unknown })));
      expect(outcome.usage).toEqual({
        inputTokens: expected.usage.inputTokens + FOLLOW_UP_USAGE.inputTokens,
        outputTokens: expected.usage.outputTokens + FOLLOW_UP_USAGE.outputTokens,
        ...(expected.usage.cachedInputTokens !== undefined ? { cachedInputTokens: expected.usage.cachedInputTokens } : {}),
      });
    }
  });
});

describe.skipIf(DIR !== undefined)("replayed provider streams: folder missing", () => {
  it("is skipped: ../shared/replay-fixtures is not beside this repository", () => {
    console.warn("replay-fixtures.test.ts: ../shared/replay-fixtures not found beside the repository; the 57 provider recordings were not replayed");
  });
});
