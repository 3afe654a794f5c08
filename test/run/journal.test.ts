// The journal is what --resume trusts: records read back through zod, a torn last line skipped,
// and finished sub-agents found by their request and its occurrence number.
import { describe, expect, it } from "vitest";
import { canonicalJson, createReplay, occurrenceCounter, parseJournal, requestKey, type JournalEntry } from "../../src/run/journal.js";

const usage = { inputTokens: 3, outputTokens: 4 };
const agentEntry = (prompt: string, occurrence: number, ok: boolean): JournalEntry => ({
  kind: "agent",
  time: 1,
  key: requestKey({ agent: "general-purpose", prompt, description: prompt }, "openai/t"),
  occurrence,
  agentId: `w1.${occurrence}`,
  request: { agent: "general-purpose", prompt, description: prompt },
  result: ok ? { ok: true, value: `answer ${prompt} #${occurrence}`, usage } : { ok: false, error: "server said no", usage },
});

describe("journal", () => {
  it("reads every whole line and skips a torn last line and a line that is not a record", () => {
    const whole = [agentEntry("a", 1, true), agentEntry("b", 1, false)].map((e) => JSON.stringify(e)).join("\n");
    const torn = JSON.stringify(agentEntry("c", 1, true)).slice(0, 40);
    const { entries, badLines } = parseJournal(`${whole}\n{"kind":"nonsense"}\n${torn}`);
    expect(entries.map((e) => (e.kind === "agent" ? e.request.prompt : e.kind))).toEqual(["a", "b"]);
    expect(badLines).toBe(2);
  });

  it("keys a request by agent, model, prompt and schema, not by its label, with the run's model when it names none", () => {
    const base = { agent: "general-purpose", prompt: "p", description: "one label" };
    expect(requestKey(base, "openai/t")).toBe(requestKey({ ...base, description: "another label" }, "openai/t"));
    expect(requestKey(base, "openai/t")).toBe(requestKey({ ...base, model: "openai/t" }, "openai/t"));
    expect(requestKey(base, "openai/t")).not.toBe(requestKey(base, "openai/u"));
    expect(requestKey(base, "openai/t")).not.toBe(requestKey({ ...base, agent: "explorer" }, "openai/t"));
    expect(requestKey({ ...base, schema: { a: 1, b: 2 } }, "m")).toBe(requestKey({ ...base, schema: { b: 2, a: 1 } }, "m"));
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });

  it("replays finished sub-agents by occurrence; a failed one is not replayed and takes nothing from those after it", () => {
    const replay = createReplay([agentEntry("same", 1, true), agentEntry("same", 2, false), agentEntry("same", 3, true)]);
    const key = requestKey({ agent: "general-purpose", prompt: "same", description: "" }, "openai/t");
    const next = occurrenceCounter();
    const found = [next(key), next(key), next(key), next(key)].map((n) => replay.agent(key, n)?.result);
    expect(found).toEqual([{ ok: true, value: "answer same #1", usage }, undefined, { ok: true, value: "answer same #3", usage }, undefined]);
    expect(replay.finishedAgents).toBe(2);
    // Every journaled call was paid for, the failed one too: a budget counts all three.
    expect(replay.spent).toEqual({ inputTokens: 9, outputTokens: 12 });
  });

  it("finds approved code by its proposal and the parent's answers by agent, key and occurrence", () => {
    const replay = createReplay([
      { kind: "approval", time: 1, proposal: "k1", code: "edited" },
      { kind: "model_turn", time: 1, agentId: "parent", key: "q", occurrence: 1, turn: { text: "hi", thinking: "", toolCalls: [], stopReason: "stop" } },
    ]);
    expect(replay.approvedCode("k1")).toBe("edited");
    expect(replay.approvedCode("k2")).toBeUndefined();
    expect(replay.modelTurn("parent", "q", 1)?.turn.text).toBe("hi");
    expect(replay.modelTurn("parent", "q", 2)).toBeUndefined();
    expect(replay.modelTurn("w1.1", "q", 1)).toBeUndefined();
  });
});
