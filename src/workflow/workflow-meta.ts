// The `meta` header of a workflow: `export const meta = { name, description, whenToUse?, phases? }`
// (Claude Code's format; a saved main(wf) workflow may carry one too). It is read from the parsed
// syntax tree, never run: the file may come from a cloned repository, and a literal has nothing to
// execute, so no getter, loop or allocation in it can do anything (Qwen Code parses it the same way).
import type { Node } from "acorn";
import { z } from "zod";
import { formatZodIssues } from "../text/zod-issues.js";

export const WorkflowMetaSchema = z.object({
  name: z.string().trim().min(1, "name must be a non-empty string").max(80),
  description: z.string().trim().min(1, "description must be a non-empty string").max(500),
  whenToUse: z.string().max(1000).optional(),
  phases: z
    .array(z.object({ title: z.string().trim().min(1).max(80), detail: z.string().max(500).optional(), model: z.string().max(200).optional() }).strict())
    .max(50)
    .optional(),
});
export type WorkflowMeta = z.infer<typeof WorkflowMetaSchema>;

type AnyNode = Node & Record<string, unknown>;

export class MetaLiteralError extends Error {
  constructor(
    message: string,
    readonly node: AnyNode,
  ) {
    super(message);
  }
}

/** The value a plain literal stands for; anything that would run code is refused with its node. */
export function literalValue(node: AnyNode): unknown {
  switch (node.type) {
    case "Literal": {
      if ((node as { regex?: unknown }).regex !== undefined || typeof node.value === "bigint") {
        throw new MetaLiteralError("meta must be a plain literal: no regular expressions or BigInts", node);
      }
      return node.value;
    }
    case "TemplateLiteral": {
      const expressions = node.expressions as AnyNode[];
      const quasis = node.quasis as Array<{ value: { cooked: string | null } }>;
      if (expressions.length > 0) throw new MetaLiteralError("meta must be a plain literal: no ${…} in template strings", node);
      return quasis.map((q) => q.value.cooked ?? "").join("");
    }
    case "ArrayExpression":
      return (node.elements as Array<AnyNode | null>).map((element) => {
        if (element === null || element.type === "SpreadElement") throw new MetaLiteralError("meta must be a plain literal: no holes or spreads in arrays", element ?? node);
        return literalValue(element);
      });
    case "ObjectExpression": {
      // A null-prototype object: a key named __proto__ is data here, not a prototype.
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const property of node.properties as AnyNode[]) {
        if (property.type !== "Property" || property.computed === true || property.kind !== "init" || property.method === true) {
          throw new MetaLiteralError("meta must be a plain literal: no spreads, computed keys, getters or methods", property);
        }
        const key = property.key as AnyNode;
        const name = key.type === "Identifier" ? (key.name as string) : key.type === "Literal" ? String(key.value) : undefined;
        if (name === undefined) throw new MetaLiteralError("meta must be a plain literal: keys are names or strings", key);
        out[name] = literalValue(property.value as AnyNode);
      }
      return { ...out };
    }
    case "UnaryExpression":
      if (node.operator === "-" && (node.argument as AnyNode).type === "Literal" && typeof (node.argument as AnyNode).value === "number") {
        return -((node.argument as AnyNode).value as number);
      }
      throw new MetaLiteralError("meta must be a plain literal: no operators", node);
    default:
      throw new MetaLiteralError(`meta must be a plain literal: no variables, calls or expressions (found ${node.type})`, node);
  }
}

export type MetaReading =
  | { readonly kind: "none" }
  | { readonly kind: "ok"; readonly meta: WorkflowMeta; readonly unknownKeys: readonly string[]; readonly node: AnyNode }
  | { readonly kind: "invalid"; readonly message: string; readonly node: AnyNode };

/** The `const meta = …` declarator among top-level statements (exported or not), if any. */
export function findMetaDeclarator(body: readonly AnyNode[]): { statement: AnyNode; init: AnyNode | null } | undefined {
  for (const raw of body) {
    const statement = raw.type === "ExportNamedDeclaration" ? (raw.declaration as AnyNode | null) : raw;
    if (statement === null || statement === undefined || statement.type !== "VariableDeclaration") continue;
    for (const declarator of statement.declarations as AnyNode[]) {
      const id = declarator.id as AnyNode;
      if (id.type === "Identifier" && id.name === "meta") return { statement: raw, init: (declarator.init as AnyNode | null) ?? null };
    }
  }
  return undefined;
}

const KNOWN_KEYS = new Set(["name", "description", "whenToUse", "phases"]);

/** Reads and checks the meta header of a parsed program. */
export function readMeta(body: readonly AnyNode[]): MetaReading {
  const found = findMetaDeclarator(body);
  if (found === undefined) return { kind: "none" };
  if (found.init === null) return { kind: "invalid", message: "meta has no value; write export const meta = { name: '…', description: '…' }", node: found.statement };
  let value: unknown;
  try {
    value = literalValue(found.init);
  } catch (error) {
    if (error instanceof MetaLiteralError) return { kind: "invalid", message: error.message, node: error.node };
    throw error;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { kind: "invalid", message: "meta must be an object literal: { name: '…', description: '…' }", node: found.init };
  }
  const parsed = WorkflowMetaSchema.safeParse(value);
  if (!parsed.success) return { kind: "invalid", message: formatZodIssues(parsed.error, { name: (path) => `meta.${path.map(String).join(".")}`, whole: "meta" }), node: found.init };
  const unknownKeys = Object.keys(value).filter((key) => !KNOWN_KEYS.has(key));
  return { kind: "ok", meta: parsed.data, unknownKeys, node: found.init };
}
