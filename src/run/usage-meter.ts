// Sums the usage events of a run on their way to the front ends (the budget is the run control's).
import { addUsage, emptyUsage, type Emit, type Usage } from "../events.js";

export interface UsageMeter {
  readonly emit: Emit;
  readonly total: () => Usage;
}

export function meterUsage(emit: Emit): UsageMeter {
  let total = emptyUsage();
  return {
    emit(event) {
      if (event.type === "usage") total = addUsage(total, event.usage);
      emit(event);
    },
    total: () => total,
  };
}
