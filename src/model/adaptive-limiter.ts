// How many requests may be in flight to one server, adapted to its rate limits (AIMD): each 429
// halves the limit, each success raises it by 1/limit, so it climbs back about one step per
// round of requests. Waiting for a slot costs no retry, so a fan-out wider than the server
// allows slows down instead of failing.

export interface AdaptiveLimiter {
  /** Waits for a slot; resolves with a ticket to pass back, or rejects when the signal aborts. */
  acquire(signal?: AbortSignal): Promise<number>;
  release(ticket: number, outcome: "ok" | "rate_limited" | "other"): void;
  readonly current: () => number;
}

export function createAdaptiveLimiter(max: number, min = 1): AdaptiveLimiter {
  let limit = max;
  let inFlight = 0;
  let issued = 0;
  // A burst of 429s answers requests that all started before the first of them was seen; only
  // requests started after the last cut may cut again, or one burst would collapse the limit to 1.
  let lastCutTicket = -1;
  const waiting: Array<{ resolve: (ticket: number) => void; reject: (error: Error) => void; signal?: AbortSignal }> = [];

  const pump = () => {
    while (waiting.length > 0 && inFlight < Math.floor(limit)) {
      const next = waiting.shift();
      if (next === undefined) break;
      if (next.signal?.aborted) {
        next.reject(new Error("aborted"));
        continue;
      }
      inFlight += 1;
      issued += 1;
      next.resolve(issued);
    }
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(new Error("aborted"));
      return new Promise<number>((resolve, reject) => {
        const entry = { resolve, reject, ...(signal ? { signal } : {}) };
        waiting.push(entry);
        signal?.addEventListener(
          "abort",
          () => {
            const index = waiting.indexOf(entry);
            if (index >= 0) {
              waiting.splice(index, 1);
              reject(new Error("aborted"));
            }
          },
          { once: true },
        );
        pump();
      });
    },
    release(ticket, outcome) {
      inFlight -= 1;
      if (outcome === "rate_limited" && ticket > lastCutTicket) {
        limit = Math.max(min, Math.floor(limit / 2));
        lastCutTicket = issued;
      } else if (outcome === "ok") {
        limit = Math.min(max, limit + 1 / limit);
      }
      pump();
    },
    current: () => Math.floor(limit),
  };
}
