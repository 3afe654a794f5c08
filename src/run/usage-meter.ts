// Sums the usage events of a run on their way to the front ends, and keeps its budget.
import { addUsage, emptyUsage, type Emit, type Usage } from "../events.js";
import { createBudgetTracker, type BudgetLimit } from "./budget.js";

export interface UsageMeter {
  readonly emit: Emit;
  readonly total: () => Usage;
  /** Present when there is a budget: refuses new sub-agents once it is spent. */
  readonly canStart?: () => string | undefined;
}

/** `spentBefore`: what a resumed run's earlier attempts cost; the budget is for the whole run. */
export function meterUsage(emit: Emit, budget: BudgetLimit | undefined, spentBefore?: Usage): UsageMeter {
  let total = emptyUsage();
  const tracker = budget ? createBudgetTracker(budget) : undefined;
  if (spentBefore !== undefined) tracker?.record(spentBefore);
  return {
    emit(event) {
      if (event.type === "usage") {
        total = addUsage(total, event.usage);
        tracker?.record(event.usage);
      }
      emit(event);
    },
    total: () => total,
    canStart: tracker ? () => tracker.refusal() : undefined,
  };
}
