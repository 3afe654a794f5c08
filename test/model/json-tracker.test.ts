import { describe, expect, it } from "vitest";
import { createJsonTracker } from "../../src/model/json-tracker.js";

const fed = (...fragments: string[]) => {
  const tracker = createJsonTracker();
  for (const fragment of fragments) tracker.feed(fragment);
  return tracker.complete();
};

describe("createJsonTracker", () => {
  it("is complete once the outer object closes, across fragments", () => {
    expect(fed('{"pa', 'th":"a"', "}")).toBe(true);
    expect(fed('{"path":"a"')).toBe(false);
    expect(fed("  [1, {", "}]  \n")).toBe(true);
  });

  it("ignores brackets and quotes inside strings, escaped quotes and backslashes included", () => {
    expect(fed('{"code":"if (a) { b(\\"}\\") }', '"}')).toBe(true);
    expect(fed('{"code":"\\\\"', "}")).toBe(true);
    expect(fed('{"code":"}')).toBe(false);
  });

  it("is not complete for empty text, a bare value, or text after the closing bracket", () => {
    expect(fed("")).toBe(false);
    expect(fed('"just a string"')).toBe(false);
    expect(fed('{"a":1}{"a":2}')).toBe(false);
  });

  it("starts over on reset (a server that resends the whole text)", () => {
    const tracker = createJsonTracker();
    tracker.feed('{"a":');
    tracker.reset('{"a":1}');
    expect(tracker.complete()).toBe(true);
  });
});
