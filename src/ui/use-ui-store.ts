// Subscribes a component to the UI store; React re-renders it on each batch.
import { useSyncExternalStore } from "react";
import type { UiSnapshot, UiStore } from "./ui-store.js";

/** The store's current snapshot. */
export function useUiStore(store: UiStore): UiSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
