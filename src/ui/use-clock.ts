// A clock that ticks once a second while something on screen counts time. Elapsed times are the
// only thing that changes without an event, and one tick a second is all they need.
import { useEffect, useState } from "react";

/** `now()` re-read every `intervalMs` while `active`. */
export function useClock(now: () => number, active: boolean, intervalMs = 1000): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!active) return;
    setTime(now());
    const timer = setInterval(() => setTime(now()), intervalMs);
    return () => clearInterval(timer);
  }, [now, active, intervalMs]);
  return time;
}
