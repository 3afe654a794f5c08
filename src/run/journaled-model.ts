// The parent's model, journaled: every answer it gives is recorded with the conversation that
// asked for it, and a resumed run takes an answer back from the journal when it is asked the very
// same conversation again. That restores the parent's conversation turn by turn without a model
// call; the first turn whose request differs (a file changed, a workflow returned something else)
// goes to the model, and so do all after it, because each request holds the whole conversation.
import { emptyUsage } from "../events.js";
import type { Model } from "../model/types.js";
import { canonicalJson, occurrenceCounter, textKey, type Replay } from "./journal.js";
import type { RunStore } from "./run-store.js";

export function journaledModel(model: Model, options: { readonly agentId: string; readonly store?: RunStore; readonly replay?: Replay; readonly now: () => number }): Model {
  const occurrences = occurrenceCounter();
  return {
    id: model.id,
    async stream(request, streamOptions) {
      const key = textKey(canonicalJson(request));
      const occurrence = occurrences(key);
      const recorded = options.replay?.modelTurn(options.agentId, key, occurrence);
      if (recorded !== undefined && streamOptions?.signal?.aborted !== true) {
        // Shown as if streamed, so the live view and the progress lines read as on the first run.
        if (recorded.turn.text !== "") streamOptions?.onDelta?.({ type: "text", delta: recorded.turn.text });
        return { ...recorded.turn, usage: emptyUsage() };
      }
      const turn = await model.stream(request, streamOptions);
      switch (turn.stopReason) {
        case "stop":
        case "tool_calls":
        case "length":
          options.store?.journal({
            kind: "model_turn",
            time: options.now(),
            agentId: options.agentId,
            key,
            occurrence,
            turn: { text: turn.text, thinking: turn.thinking, toolCalls: [...turn.toolCalls], stopReason: turn.stopReason },
            usage: turn.usage,
          });
          break;
        case "refused":
        case "error":
        case "aborted":
          // Not an answer to keep: a resumed run asks again.
          break;
        default: {
          const unreachable: never = turn.stopReason;
          return unreachable;
        }
      }
      return turn;
    },
  };
}
