import { describe, expect, it } from "vitest";
import { resolveColorLevel } from "../../src/ui/color-level.js";

describe("resolveColorLevel", () => {
  it("turns color off for NO_COLOR, unless FORCE_COLOR is set", () => {
    expect(resolveColorLevel({ NO_COLOR: "1" }, 3)).toBe(0);
    expect(resolveColorLevel({ NO_COLOR: "" }, 3)).toBe(3);
    expect(resolveColorLevel({ NO_COLOR: "1", FORCE_COLOR: "1" }, 1)).toBe(1);
    expect(resolveColorLevel({}, 2)).toBe(2);
  });
});
