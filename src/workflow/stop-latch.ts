// The first limit to fire is the reason a workflow stopped; later ones do not overwrite it
// (execa's terminationReason habit). Each limit calls `stop`; the run races `stopped`.
export interface StopLatch<T> {
  stop(reason: T): void;
  readonly reason: () => T | undefined;
  readonly stopped: Promise<T>;
}

export function createStopLatch<T>(): StopLatch<T> {
  let reason: T | undefined;
  let resolve: (value: T) => void = () => {};
  const stopped = new Promise<T>((r) => {
    resolve = r;
  });
  return {
    stop(value) {
      if (reason !== undefined) return;
      reason = value;
      resolve(value);
    },
    reason: () => reason,
    stopped,
  };
}
