import { describe, expect, it } from "vitest";
import { createAdaptiveLimiter } from "../../src/model/adaptive-limiter.js";

describe("createAdaptiveLimiter", () => {
  it("lets up to the limit through and queues the rest until a slot is released", async () => {
    const limiter = createAdaptiveLimiter(2);
    const a = await limiter.acquire();
    const b = await limiter.acquire();
    let third: number | undefined;
    const pending = limiter.acquire().then((t) => (third = t));
    await Promise.resolve();
    expect(third).toBeUndefined();
    limiter.release(a, "other");
    await pending;
    expect(third).toBe(3);
    limiter.release(b, "other");
  });

  it("halves the limit once per burst of 429s, not once per 429", async () => {
    const limiter = createAdaptiveLimiter(16);
    const tickets = await Promise.all(Array.from({ length: 16 }, () => limiter.acquire()));
    for (const t of tickets) limiter.release(t, "rate_limited");
    expect(limiter.current()).toBe(8);
    const next = await limiter.acquire();
    limiter.release(next, "rate_limited");
    expect(limiter.current()).toBe(4);
  });

  it("climbs back by about one per round of successes after a cut, never past the maximum", async () => {
    const limiter = createAdaptiveLimiter(4);
    const first = await limiter.acquire();
    limiter.release(first, "rate_limited");
    expect(limiter.current()).toBe(2);
    // +1/limit per success: 2 → 2.5 → 2.9 → 3.24
    for (let i = 0; i < 2; i += 1) limiter.release(await limiter.acquire(), "ok");
    expect(limiter.current()).toBe(2);
    limiter.release(await limiter.acquire(), "ok");
    expect(limiter.current()).toBe(3);
    for (let i = 0; i < 100; i += 1) limiter.release(await limiter.acquire(), "ok");
    expect(limiter.current()).toBe(4);
  });

  it("never goes below the minimum", async () => {
    const limiter = createAdaptiveLimiter(2);
    for (let i = 0; i < 5; i += 1) limiter.release(await limiter.acquire(), "rate_limited");
    expect(limiter.current()).toBe(1);
  });

  it("rejects a waiting acquire when its signal aborts and does not hand it a slot later", async () => {
    const limiter = createAdaptiveLimiter(1);
    const held = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow("aborted");
    limiter.release(held, "other");
    const next = await limiter.acquire();
    expect(next).toBe(2);
  });
});
