import { describe, expect, it } from "vitest";
import measureText, { CACHE_LIMIT, cachedTexts } from "../../src/ui/ink-measure-text.js";

describe("measureText (Ink's text measuring, as the bundle gives it to Ink)", () => {
  it("answers the widest line's columns and the number of lines", () => {
    expect(measureText("")).toEqual({ width: 0, height: 0 });
    expect(measureText("pane 3 · reading src")).toEqual({ width: 20, height: 1 });
    expect(measureText("ab\n漢字漢字\n\x1b[31mred\x1b[39m")).toEqual({ width: 8, height: 3 });
    expect(measureText("trailing\n")).toEqual({ width: 8, height: 2 });
  });

  it("gives the same answer from its cache as measured", () => {
    const first = measureText("cached · line");
    expect(measureText("cached · line")).toBe(first);
  });

  it("never holds more than its limit, however many different lines stream past", () => {
    for (let i = 0; i < CACHE_LIMIT * 3 + 17; i++) measureText(`streamed line ${i}`);
    expect(cachedTexts()).toBeLessThanOrEqual(CACHE_LIMIT);
    expect(cachedTexts()).toBeGreaterThan(0);
    // Still right after the clears.
    expect(measureText(`streamed line ${CACHE_LIMIT * 3 + 16}`)).toEqual({ width: `streamed line ${CACHE_LIMIT * 3 + 16}`.length, height: 1 });
  });
});
