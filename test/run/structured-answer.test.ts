import { describe, expect, it } from "vitest";
import type { RunEventInput } from "../../src/events.js";
import type { AssistantTurn, Model, ModelRequest } from "../../src/model/types.js";
import { checkAnswer, compileSchema, parseStructuredAnswer, repairAnswer, type StructuredAnswer } from "../../src/run/structured-answer.js";

describe("parseStructuredAnswer", () => {
  it("parses an answer that is only JSON", () => {
    expect(parseStructuredAnswer('  {"files": ["a.ts"], "count": 1}\n')).toEqual({ ok: true, value: { files: ["a.ts"], count: 1 } });
  });

  it("parses a JSON array answer", () => {
    expect(parseStructuredAnswer("[1, 2, 3]")).toEqual({ ok: true, value: [1, 2, 3] });
  });

  it("parses JSON inside a ```json code fence with prose around it", () => {
    expect(parseStructuredAnswer('Here you go:\n```json\n{"a": 1}\n```\nHope this helps.')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("parses JSON inside a bare ``` code fence", () => {
    expect(parseStructuredAnswer('```\n[{"a": 1}]\n```')).toEqual({ ok: true, value: [{ a: 1 }] });
  });

  it("takes the outermost JSON value out of a sentence around it", () => {
    expect(parseStructuredAnswer('The result is {"a": {"b": [1]}} as requested.')).toEqual({ ok: true, value: { a: { b: [1] } } });
  });

  it("takes an array that holds objects as the outermost value, not the first object in it", () => {
    expect(parseStructuredAnswer('Found: [{"a": 1}, {"a": 2}] in total.')).toEqual({ ok: true, value: [{ a: 1 }, { a: 2 }] });
  });

  it("finds the JSON object when the prose after it contains square brackets", () => {
    expect(parseStructuredAnswer('{"a": 1}\n\nNote: counts are estimates [approx].')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("finds the JSON object when the prose before it contains square brackets", () => {
    expect(parseStructuredAnswer('Result [v2]: {"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
  });

  it("fails with the start of the answer, quoted, when it holds no JSON", () => {
    expect(parseStructuredAnswer("I could not\nfind anything.")).toEqual({
      ok: false,
      error: 'no JSON value found in the answer (it begins: "I could not\\nfind anything.")',
    });
  });

  it("quotes at most 120 characters of the answer in the failure", () => {
    const result = parseStructuredAnswer("x".repeat(500));
    expect(result).toEqual({ ok: false, error: `no JSON value found in the answer (it begins: "${"x".repeat(120)}")` });
  });

  it("fails on broken JSON", () => {
    expect(parseStructuredAnswer('{"a": 1,}')).toMatchObject({ ok: false });
  });
});

const countSchema = { type: "object", properties: { n: { type: "number" } }, required: ["n"] };

// The check function of a schema that compiles, or a failure naming why it did not.
function checkerOf(schema: Record<string, unknown>): (value: unknown) => StructuredAnswer {
  const compiled = compileSchema(schema);
  if (!compiled.ok) throw new Error(`schema did not compile: ${compiled.error}`);
  return compiled.check;
}

describe("compileSchema", () => {
  it("accepts a value that matches the schema", () => {
    expect(checkerOf(countSchema)({ n: 1 })).toEqual({ ok: true, value: { n: 1 } });
  });

  it("rejects a value that does not match, naming the field", () => {
    expect(checkerOf(countSchema)({})).toEqual({
      ok: false,
      error: "it does not match the schema: n: Invalid input: expected number, received undefined",
    });
  });

  it("says why a schema cannot be used", () => {
    expect(compileSchema({ type: "nonsense" })).toEqual({
      ok: false,
      error: "the schema is not a JSON Schema agentwf can check: Unsupported type: nonsense",
    });
  });
});

describe("checkAnswer", () => {
  it("parses the answer and checks the value against the schema", () => {
    expect(checkAnswer('Here: {"n": 3}', checkerOf(countSchema))).toEqual({ ok: true, value: { n: 3 } });
    expect(checkAnswer('{"n": "three"}', checkerOf(countSchema))).toMatchObject({ ok: false });
  });

  it("returns the parse failure when the answer holds no JSON", () => {
    expect(checkAnswer("none", checkerOf(countSchema))).toEqual({
      ok: false,
      error: 'no JSON value found in the answer (it begins: "none")',
    });
  });
});

describe("repairAnswer", () => {
  const usage = { inputTokens: 7, outputTokens: 3 };
  const turn = (fields: Partial<AssistantTurn>): AssistantTurn => ({
    text: "",
    thinking: "",
    toolCalls: [],
    stopReason: "stop",
    usage,
    ...fields,
  });
  function repairWith(reply: AssistantTurn) {
    const requests: ModelRequest[] = [];
    const events: RunEventInput[] = [];
    const model: Model = {
      id: "scripted",
      async stream(request) {
        requests.push(request);
        return reply;
      },
    };
    const result = repairAnswer({
      model,
      agentId: "w1.1",
      schema: countSchema,
      answer: "n is three",
      problem: "it holds no JSON",
      check: checkerOf(countSchema),
      emit: (event) => events.push(event),
      signal: new AbortController().signal,
    });
    return { result, requests, events };
  }

  it("asks once, with the schema as the response format, and returns the checked value and usage", async () => {
    const { result, requests, events } = repairWith(turn({ text: '{"n": 3}' }));
    expect(await result).toEqual({ result: { ok: true, value: { n: 3 } }, usage });
    expect(requests).toHaveLength(1);
    expect(requests[0]?.responseFormat).toEqual({ name: "answer", schema: countSchema });
    expect(requests[0]?.messages.at(-1)?.content).toContain("n is three");
    expect(events).toEqual([{ type: "usage", agentId: "w1.1", usage }]);
  });

  it("returns the check's failure when the restated answer still does not match", async () => {
    const { result } = repairWith(turn({ text: '{"n": "three"}' }));
    expect((await result).result).toMatchObject({ ok: false });
  });

  it("says the repair call failed, with the model's message, when the call errors", async () => {
    const { result } = repairWith(turn({ stopReason: "error", error: { kind: "server", message: "HTTP 500" } }));
    expect(await result).toEqual({ result: { ok: false, error: "the repair call failed: HTTP 500" }, usage });
  });
});
