// Our message and tool shapes in the chat-completions wire format.
import type OpenAI from "openai";
import type { ChatMessage, ToolSpec } from "./types.js";

export function toOpenAIMessages(messages: readonly ChatMessage[]): OpenAI.ChatCompletionMessageParam[] {
  return messages.map((message): OpenAI.ChatCompletionMessageParam => {
    switch (message.role) {
      case "system":
      case "user":
        return { role: message.role, content: message.content };
      case "assistant":
        if (message.toolCalls.length === 0) return { role: "assistant", content: message.content };
        return {
          role: "assistant",
          // null, not "", beside tool calls: several servers (Mistral, older vLLM) reject an empty
          // string there, and every server we know accepts null.
          content: message.content === "" ? null : message.content,
          // Unknown fields the server put on the call go back as it sent them (Gemini's thought
          // signature); ours are written last so that they cannot be overridden.
          tool_calls: message.toolCalls.map((call) => ({
            ...call.extra,
            id: call.id,
            type: "function" as const,
            function: { ...call.functionExtra, name: call.name, arguments: call.arguments },
          })),
        };
      case "tool":
        // `name` is not in OpenAI's schema but Gemini's and Mistral's endpoints use it to match
        // results to calls; OpenAI ignores it.
        return { role: "tool", tool_call_id: message.toolCallId, content: message.content === "" ? "(empty)" : message.content, name: message.name } as OpenAI.ChatCompletionToolMessageParam;
    }
  });
}

export function toOpenAITools(tools: readonly ToolSpec[]): OpenAI.ChatCompletionTool[] {
  return tools.map((tool) => ({
    type: "function" as const,
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  }));
}
