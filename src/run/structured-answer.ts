// Structured output: a sub-agent asked for JSON (`schema`) has its answer parsed and checked
// against the JSON Schema; on a mismatch one repair call asks the model, with `response_format`
// json_schema where the server takes it, to restate the answer as matching JSON.
import { z } from "zod";
import type { Emit, Usage } from "../events.js";
import type { Model } from "../model/types.js";
import { formatZodIssues } from "../text/zod-issues.js";

export type StructuredAnswer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** Reads the outermost JSON value of an answer: models wrap JSON in fences or add a sentence. */
export function parseStructuredAnswer(text: string): StructuredAnswer {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text);
  const candidates = [text.trim(), fenced?.[1]?.trim()];
  // Each bracket kind spans its first opener to its last closer, the earlier-starting (outer) one
  // first. One span over both kinds would break on prose with brackets ("… estimates [approx].").
  const spans = ([["{", "}"], ["[", "]"]] as const)
    .map(([open, close]) => ({ start: text.indexOf(open), end: text.lastIndexOf(close) }))
    .filter(({ start, end }) => start >= 0 && end > start)
    .sort((a, b) => a.start - b.start);
  for (const { start, end } of spans) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    if (candidate === undefined || candidate === "") continue;
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch {
      // try the next reading
    }
  }
  return { ok: false, error: `no JSON value found in the answer (it begins: ${JSON.stringify(text.slice(0, 120))})` };
}

/** Compiles a workflow's JSON Schema into a checker, or says why it cannot. */
export function compileSchema(schema: Record<string, unknown>): { ok: true; check: (value: unknown) => StructuredAnswer } | { ok: false; error: string } {
  let compiled: z.ZodType;
  try {
    compiled = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch (error) {
    return { ok: false, error: `the schema is not a JSON Schema agentwf can check: ${(error as Error).message}` };
  }
  return {
    ok: true,
    check(value) {
      const result = compiled.safeParse(value);
      return result.success ? { ok: true, value: result.data } : { ok: false, error: `it does not match the schema: ${formatZodIssues(result.error)}` };
    },
  };
}

/** Parses and checks an answer against the schema. */
export function checkAnswer(text: string, check: (value: unknown) => StructuredAnswer): StructuredAnswer {
  const parsed = parseStructuredAnswer(text);
  return parsed.ok ? check(parsed.value) : parsed;
}

export interface RepairOptions {
  readonly model: Model;
  readonly agentId: string;
  readonly schema: Record<string, unknown>;
  readonly answer: string;
  readonly problem: string;
  readonly check: (value: unknown) => StructuredAnswer;
  readonly emit: Emit;
  readonly signal: AbortSignal;
}

/** One repair round; returns the checked value or the error that remains, and the usage spent. */
export async function repairAnswer(options: RepairOptions): Promise<{ result: StructuredAnswer; usage: Usage }> {
  const turn = await options.model.stream(
    {
      messages: [
        { role: "system", content: "You restate answers as JSON. Reply with one JSON value only: no prose, no code fence." },
        {
          role: "user",
          content: `This answer should be JSON matching the schema below, but ${options.problem}.\n\nSchema:\n${JSON.stringify(options.schema)}\n\nAnswer:\n${options.answer}\n\nReply with the corrected JSON only.`,
        },
      ],
      responseFormat: { name: "answer", schema: options.schema },
    },
    { signal: options.signal },
  );
  options.emit({ type: "usage", agentId: options.agentId, usage: turn.usage });
  if (turn.stopReason === "error" || turn.stopReason === "aborted") {
    return { result: { ok: false, error: `the repair call failed: ${turn.error?.message ?? "cancelled"}` }, usage: turn.usage };
  }
  return { result: checkAnswer(turn.text, options.check), usage: turn.usage };
}
