// The chat-completions request as the fake server sees it. The body is parsed with zod because it
// is an edge: a body our client should never send fails the request loudly instead of being
// answered as if it were fine. Unknown fields pass through (servers ignore what they don't know).
import { z } from "zod";

const WireToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const ContentSchema = z.union([z.string(), z.null(), z.array(z.looseObject({ type: z.string() }))]);

const WireMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: ContentSchema.optional(),
  name: z.string().optional(),
  tool_call_id: z.string().optional(),
  tool_calls: z.array(WireToolCallSchema).optional(),
});

const WireToolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string(),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const ChatRequestBodySchema = z.looseObject({
  model: z.string(),
  messages: z.array(WireMessageSchema).min(1),
  tools: z.array(WireToolSchema).optional(),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).optional(),
  tool_choice: z.unknown().optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: z.unknown().optional(),
});

export type ChatRequestBody = z.infer<typeof ChatRequestBodySchema>;
export type WireMessage = z.infer<typeof WireMessageSchema>;

export interface RecordedRequest {
  /** 0 for the first request the server saw. */
  readonly index: number;
  readonly path: string;
  readonly body: ChatRequestBody;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** A message's text, with the text parts of a content array joined. */
export function contentText(message: WireMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  return content.map((part) => (typeof part.text === "string" ? part.text : "")).join("");
}

/** The text of the last user message, "" when there is none. */
export function lastUserText(request: RecordedRequest): string {
  const users = request.body.messages.filter((message) => message.role === "user");
  const last = users[users.length - 1];
  return last === undefined ? "" : contentText(last);
}

/** The system (and developer) messages, joined with newlines. */
export function systemText(request: RecordedRequest): string {
  return request.body.messages
    .filter((message) => message.role === "system" || message.role === "developer")
    .map(contentText)
    .join("\n");
}

/** The contents of the tool-result messages, in order. */
export function toolResults(request: RecordedRequest): string[] {
  return request.body.messages.filter((message) => message.role === "tool").map(contentText);
}

/** Whether the request asked for the usage chunk at the end of the stream. */
export function wantsUsage(body: ChatRequestBody): boolean {
  return body.stream === true && body.stream_options?.include_usage === true;
}
