import { describe, expect, it } from "vitest";
import { characterKind, codePointName, escapeCodePoint } from "../../src/text/characters.js";
import { escapeForDisplay, isUnsafeCharacter, stripForTerminal } from "../../src/text/safe-text.js";

// Every range of the table, written out here by hand (not read from the table), with both ends and
// the characters just outside them, so a range that shrinks, grows or moves fails here.
const RANGES: ReadonlyArray<readonly [from: number, to: number, kind: string]> = [
  [0x00, 0x08, "control"],
  [0x0b, 0x0d, "control"],
  [0x0e, 0x1f, "control"],
  [0x7f, 0x9f, "control"],
  [0xad, 0xad, "invisible"],
  [0x61c, 0x61c, "bidi"],
  [0x115f, 0x1160, "invisible"],
  [0x180e, 0x180e, "invisible"],
  [0x200b, 0x200d, "invisible"],
  [0x200e, 0x200f, "bidi"],
  [0x2028, 0x2029, "line-break"],
  [0x202a, 0x202e, "bidi"],
  [0x2060, 0x2065, "invisible"],
  [0x2066, 0x2069, "bidi"],
  [0x206a, 0x206f, "invisible"],
  [0x3164, 0x3164, "invisible"],
  [0xfeff, 0xfeff, "invisible"],
  [0xffa0, 0xffa0, "invisible"],
  [0xe0000, 0xe007f, "invisible"],
  [0xe0100, 0xe01ef, "invisible"],
];

// Neighbours of the ranges that are ordinary text and must stay as they are.
const SAFE = [0x09, 0x0a, 0x20, 0x7e, 0xa0, 0xac, 0xae, 0x61b, 0x61d, 0x115e, 0x1161, 0x180d, 0x180f, 0x200a, 0x2010, 0x2027, 0x202f, 0x205f, 0x2070, 0x3163, 0x3165, 0xfefe, 0xff00, 0xff9f, 0xffa1, 0xe0080, 0xe00ff, 0xe01f0, 0x1f600];

describe("the character table", () => {
  for (const [from, to, kind] of RANGES) {
    it(`${codePointName(from)}–${codePointName(to)} is ${kind}: stripped for a terminal, escaped for display`, () => {
      for (const point of new Set([from, to, Math.floor((from + to) / 2)])) {
        const ch = String.fromCodePoint(point);
        expect(characterKind(point)).toBe(kind);
        expect(isUnsafeCharacter(ch)).toBe(true);
        expect(stripForTerminal(`a${ch}b`)).toBe("ab");
        expect(escapeForDisplay(`a${ch}b`)).toBe(`a${escapeCodePoint(point)}b`);
      }
    });
  }

  it("leaves tab, newline and the neighbours of every range as they are", () => {
    for (const point of SAFE) {
      const ch = String.fromCodePoint(point);
      expect(characterKind(point)).toBeUndefined();
      expect(stripForTerminal(`a${ch}b`)).toBe(`a${ch}b`);
      expect(escapeForDisplay(`a${ch}b`)).toBe(`a${ch}b`);
    }
  });

  it("writes an escape by size: \\x up to U+00FF, \\u in the basic plane, \\u{} above it", () => {
    expect(escapeForDisplay("\x1b[31m")).toBe("\\x1b[31m");
    expect(escapeForDisplay("\x9b")).toBe("\\x9b");
    expect(escapeForDisplay("\u00ad")).toBe("\\xad");
    expect(escapeForDisplay("x\u202ey")).toBe("x\\u202ey");
    expect(escapeForDisplay("\u{e0041}")).toBe("\\u{e0041}");
    expect(codePointName(0x1b)).toBe("U+001B");
    expect(codePointName(0xe0041)).toBe("U+E0041");
  });

  it("escapes every unsafe character of a string, not only the first", () => {
    expect(escapeForDisplay("\u202eone\u2066two\u202e")).toBe("\\u202eone\\u2066two\\u202e");
    expect(stripForTerminal("\u202eone\u2066two\u2069three")).toBe("onetwothree");
  });
});

describe("escapeCodePoint at the edges of each width", () => {
  it("pads \\x to two digits up to U+00FF, \\u to four up to U+FFFF, and writes \\u{} above", () => {
    expect(escapeCodePoint(0x07)).toBe("\\x07");
    expect(escapeCodePoint(0xff)).toBe("\\xff");
    expect(escapeCodePoint(0x100)).toBe("\\u0100");
    expect(escapeCodePoint(0xffff)).toBe("\\uffff");
    expect(escapeCodePoint(0x10000)).toBe("\\u{10000}");
  });
});
