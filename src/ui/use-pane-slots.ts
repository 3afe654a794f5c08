// Remembers which pane each running agent has, across renders (see assignSlots).
import { useRef } from "react";
import { assignSlots } from "./pane-layout.js";

/** Agent ids by pane, stable while they run. */
export function usePaneSlots(running: readonly string[], capacity: number): (string | undefined)[] {
  const previous = useRef<(string | undefined)[]>([]);
  const slots = assignSlots(previous.current, running, capacity);
  previous.current = slots;
  return slots;
}
