import { describe, expect, it } from "vitest";
import { diffLines, diffStats } from "../../src/ui/line-diff.js";

describe("diffLines", () => {
  it("marks changed lines as removed then added, numbered in their own version", () => {
    const diff = diffLines("a\nb\nc\nd", "a\nB\nc\nd\ne");
    expect(diff).toEqual([
      { kind: "same", oldLine: 1, newLine: 1, text: "a" },
      { kind: "del", oldLine: 2, text: "b" },
      { kind: "add", newLine: 2, text: "B" },
      { kind: "same", oldLine: 3, newLine: 3, text: "c" },
      { kind: "same", oldLine: 4, newLine: 4, text: "d" },
      { kind: "add", newLine: 5, text: "e" },
    ]);
    expect(diffStats(diff)).toEqual({ added: 2, removed: 1 });
  });

  it("finds moved-around common lines in the middle", () => {
    const diff = diffLines("x\n1\n2\n3\ny", "x\n2\n3\n4\ny");
    expect(diff.map((d) => `${d.kind}:${d.text}`)).toEqual(["same:x", "del:1", "same:2", "same:3", "add:4", "same:y"]);
  });

  it("reports identical texts as unchanged", () => {
    expect(diffStats(diffLines("a\nb", "a\nb"))).toEqual({ added: 0, removed: 0 });
  });
});
