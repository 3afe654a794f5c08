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

describe("createJsonTracker at the edges", () => {
  it("skips every kind of JSON whitespace before the value and after it", () => {
    expect(fed(" \n\r\t{}")).toBe(true);
    expect(fed("{}", " ", "\n", "\r", "\t")).toBe(true);
    expect(fed("{} x")).toBe(false);
    expect(fed("[]\u00a0")).toBe(false);
  });

  it("counts nesting of objects and arrays alike, and is complete only when the outermost closes", () => {
    expect(fed("[[", "]")).toBe(false);
    expect(fed("[[", "]]")).toBe(true);
    expect(fed("{[", "]")).toBe(false);
    expect(fed('{"a":{"b":[1]}', "}")).toBe(true);
  });

  it("stays broken after a first character that opens no container, whatever follows", () => {
    expect(fed("1", "{}")).toBe(false);
    expect(fed("x{}")).toBe(false);
    expect(fed("]", "[]")).toBe(false);
  });

  it("stays broken after text that follows the closing bracket, even if a later fragment would close again", () => {
    expect(fed("{}", "x", "}")).toBe(false);
    expect(fed("{}}")).toBe(false);
  });

  it("keeps string state between fragments: an escape at the end of one fragment escapes the next character", () => {
    expect(fed('{"a":"\\', '"', '"}')).toBe(true);
    expect(fed('{"a":"\\', '\\', '"}')).toBe(true);
    expect(fed('{"a":"', "}", '"')).toBe(false);
    expect(fed('{"a":"x"', "}")).toBe(true);
  });

  it("clears every state on reset: depth, string, escape, start, close and broken", () => {
    const tracker = createJsonTracker();
    tracker.feed('{"a":"\\');
    tracker.reset("{}");
    expect(tracker.complete()).toBe(true);
    tracker.feed(" y");
    expect(tracker.complete()).toBe(false);
    tracker.reset('{"s":"}');
    expect(tracker.complete()).toBe(false);
    tracker.reset("[");
    tracker.feed("]");
    expect(tracker.complete()).toBe(true);
    const escaping = createJsonTracker();
    escaping.feed('{"a":"\\');
    escaping.reset('{"b":"');
    escaping.feed('"}');
    expect(escaping.complete()).toBe(true);
  });
});

describe("createJsonTracker with empty strings", () => {
  it("reads an empty string as a string, from the first one fed and the first one after reset", () => {
    expect(fed('{"":1}')).toBe(true);
    expect(fed("[", '""', "]")).toBe(true);
    const tracker = createJsonTracker();
    tracker.feed('{"a":"\\');
    tracker.reset('{"":1}');
    expect(tracker.complete()).toBe(true);
    const broken = createJsonTracker();
    broken.feed("x");
    broken.reset('[""]');
    expect(broken.complete()).toBe(true);
  });
});

describe("createJsonTracker reset checks the first character again", () => {
  it("refuses text after reset that does not open a container, even if a container follows", () => {
    const tracker = createJsonTracker();
    tracker.feed("{}");
    tracker.reset("x{}");
    expect(tracker.complete()).toBe(false);
  });
});
