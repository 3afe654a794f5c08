// What an agent can call. A tool's zod schema sits beside its `execute`; `defineTool` is the edge
// where the model's raw argument text is parsed, so bad JSON or a wrong field becomes an error
// result the model can read and fix, never an exception that ends the run.
import { z } from "zod";
import { formatZodIssues } from "../text/zod-issues.js";

/**
 * What the model is told about a tool. The same shape as model/'s ToolSpec, declared here too
 * because tools/ may not import model/ (DESIGN.md); TypeScript's structural typing joins them.
 */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  /** JSON Schema of the arguments object. */
  readonly parameters: Record<string, unknown>;
}

/** Where a cut page of a listing tool stands (paging.ts): the output's last line says the same. */
export interface PageInfo {
  /** Zero-based index of the first entry shown. */
  readonly offset: number;
  readonly shown: number;
  /** Entries in the complete result. */
  readonly total: number;
  /** The offset to pass for the next page. */
  readonly nextOffset: number;
}

export type ToolOutcome =
  | { readonly ok: true; readonly output: string; /** Set only when the output was cut. */ readonly page?: PageInfo }
  | { readonly ok: false; readonly error: string };

export interface ToolContext {
  readonly signal: AbortSignal;
  /** The agent that calls: bash keeps a time budget and a scratch layer per agent. */
  readonly agentId?: string;
}

export interface ToolDefinition<P> {
  readonly name: string;
  /** Tells the model what the tool does, its limits, and how to read further when cut. */
  readonly description: string;
  readonly parameters: z.ZodType<P>;
  execute(args: P, context: ToolContext): Promise<ToolOutcome>;
  /** One line for panes and progress ("read_file src/a.ts:1-200"). */
  summarize?(args: P): string;
}

/** A tool with its parameter type erased behind the parsing edge. */
export interface AgentTool {
  readonly name: string;
  readonly spec: ToolSpec;
  run(rawArguments: string, context: ToolContext): Promise<ToolOutcome>;
  summarize(rawArguments: string): string;
}

function parseArguments<P>(schema: z.ZodType<P>, raw: string): { ok: true; value: P } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = raw.trim() === "" ? {} : JSON.parse(raw);
  } catch (error) {
    return { ok: false, error: `arguments are not valid JSON (${(error as Error).message}); send one JSON object` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `invalid arguments: ${formatZodIssues(parsed.error)}` };
}

export function defineTool<P>(definition: ToolDefinition<P>): AgentTool {
  const jsonSchema = z.toJSONSchema(definition.parameters, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete jsonSchema.$schema;
  return {
    name: definition.name,
    spec: { name: definition.name, description: definition.description, parameters: jsonSchema },
    async run(rawArguments, context) {
      const parsed = parseArguments(definition.parameters, rawArguments);
      if (!parsed.ok) return { ok: false, error: parsed.error };
      try {
        return await definition.execute(parsed.value, context);
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    summarize(rawArguments) {
      const parsed = parseArguments(definition.parameters, rawArguments);
      if (parsed.ok && definition.summarize) return `${definition.name} ${definition.summarize(parsed.value)}`;
      const flat = rawArguments.replace(/\s+/g, " ");
      return `${definition.name} ${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}`;
    },
  };
}
