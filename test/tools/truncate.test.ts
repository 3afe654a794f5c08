import { describe, expect, it } from "vitest";
import { cutLongLine, cutUtf8, formatBytes, splitLines, truncateText } from "../../src/tools/truncate.js";

describe("truncateText", () => {
  it("returns the text unchanged when it fits both limits", () => {
    expect(truncateText("a\nb\n", { maxLines: 2, maxBytes: 4 })).toEqual({
      text: "a\nb\n",
      truncated: false,
      by: null,
      totalLines: 2,
      totalBytes: 4,
      shownLines: 2,
      partialLine: false,
    });
  });

  it("keeps the first maxLines lines and reports the line limit with totals", () => {
    const result = truncateText("1\n2\n3\n4\n5", { maxLines: 3, maxBytes: 1000 });
    expect(result).toMatchObject({ text: "1\n2\n3", truncated: true, by: "lines", totalLines: 5, totalBytes: 9, shownLines: 3 });
  });

  it("cuts at the last whole line that fits the byte limit", () => {
    const result = truncateText("aaa\nbbb\nccc", { maxLines: 10, maxBytes: 8 });
    expect(result).toMatchObject({ text: "aaa\nbbb", by: "bytes", shownLines: 2, totalLines: 3, totalBytes: 11 });
  });

  it("cuts a first line longer than the byte limit at a UTF-8 character boundary", () => {
    const result = truncateText("ééé\nx", { maxLines: 10, maxBytes: 5 });
    expect(result).toMatchObject({ text: "éé", by: "bytes", shownLines: 0, partialLine: true });
  });

  it("counts an empty text as zero lines", () => {
    expect(truncateText("", { maxLines: 1, maxBytes: 1 })).toMatchObject({ totalLines: 0, truncated: false });
  });
});

describe("splitLines", () => {
  it("does not count the empty string after a final newline as a line", () => {
    expect(splitLines("a\nb\n")).toEqual(["a", "b"]);
    expect(splitLines("a\n\n")).toEqual(["a", ""]);
  });
});

describe("cutUtf8", () => {
  it("never splits a multi-byte character", () => {
    expect(cutUtf8("€€", 4)).toBe("€");
    expect(cutUtf8("€€", 6)).toBe("€€");
    expect(cutUtf8("😀", 3)).toBe("");
  });
});

describe("cutLongLine", () => {
  it("cuts past maxChars with a marker giving the full length", () => {
    expect(cutLongLine("abcdef", 3)).toBe("abc … [line cut: first 3 characters of 6 characters shown]");
    expect(cutLongLine("abc", 3)).toBe("abc");
  });

  it("gives the full size in bytes when the caller passes it", () => {
    expect(cutLongLine("abcdef", 3, 4096)).toBe("abc … [line cut: first 3 characters of 4096 bytes shown]");
  });

  it("does not split a surrogate pair at the cut", () => {
    expect(cutLongLine("a😀b", 2).startsWith("a …")).toBe(true);
  });
});

describe("formatBytes", () => {
  it("renders bytes, kilobytes and megabytes", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(50 * 1024)).toBe("50 KB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(2 * 1024 * 1024)).toBe("2 MB");
  });
});
