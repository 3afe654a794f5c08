import { describe, expect, it } from "vitest";
import { pastTheEnd, renderPage, truncationLine } from "../../src/tools/paging.js";

const items = ["a", "b", "c", "d", "e"];
const lineAt = (index: number) => items[index] ?? "";

describe("renderPage", () => {
  it("shows everything with no truncation line and no page when it fits", () => {
    expect(renderPage(5, lineAt, 0, { maxEntries: 10, maxBytes: 1000 })).toEqual({ ok: true, output: "a\nb\nc\nd\ne" });
  });

  it("ends a page cut by the entry limit with the exact truncation line and the same facts in page", () => {
    expect(renderPage(5, lineAt, 1, { maxEntries: 2, maxBytes: 1000 })).toEqual({
      ok: true,
      output: "b\nc\n\n[truncated: showing 2-3 of 5; call again with offset 3 to continue]",
      page: { offset: 1, shown: 2, total: 5, nextOffset: 3 },
    });
  });

  it("cuts by bytes at an entry boundary, yet always shows one entry so paging moves on", () => {
    const long = (index: number) => `${index}`.repeat(30);
    expect(renderPage(3, long, 0, { maxEntries: 10, maxBytes: 40 })).toEqual({
      ok: true,
      output: `${"0".repeat(30)}\n\n[truncated: showing 1-1 of 3; call again with offset 1 to continue]`,
      page: { offset: 0, shown: 1, total: 3, nextOffset: 1 },
    });
    const tiny = renderPage(3, long, 0, { maxEntries: 10, maxBytes: 5 });
    expect(tiny.ok && tiny.output.split("\n")[0]).toBe("0".repeat(30));
  });

  it("puts notes after the entries and before the truncation line, which stays last", () => {
    const outcome = renderPage(5, lineAt, 0, { maxEntries: 1, maxBytes: 1000 }, ["[note]"]);
    expect(outcome.ok && outcome.output).toBe("a\n\n[note]\n\n[truncated: showing 1-1 of 5; call again with offset 1 to continue]");
  });
});

describe("truncationLine and pastTheEnd", () => {
  it("renders the contract's line with an ASCII hyphen", () => {
    expect(truncationLine({ offset: 1000, shown: 1000, total: 100001, nextOffset: 2000 })).toBe(
      "[truncated: showing 1001-2000 of 100001; call again with offset 2000 to continue]",
    );
  });

  it("says which offsets exist when asked past the end", () => {
    expect(pastTheEnd(9, 5, "files")).toEqual({ ok: true, output: "[no files at offset 9: there are 5, at offsets 0-4]" });
  });
});
