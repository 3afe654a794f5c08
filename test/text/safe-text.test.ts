import { describe, expect, it } from "vitest";
import { cleanUntrusted, clipText, escapeJsonText, isUnsafeCharacter, MAX_HELD_BACK, splitIncompleteEscape, stripForTerminal } from "../../src/text/safe-text.js";

const ESC = "\x1b";
const BEL = "\x07";
const ST = `${ESC}\\`;

describe("stripForTerminal", () => {
  it.each([
    ["an OSC 52 clipboard write ended by BEL", `a${ESC}]52;c;cm0gLXJmIH4=${BEL}b`, "ab"],
    ["an OSC 52 clipboard write ended by ST", `a${ESC}]52;c;cm0gLXJmIH4=${ST}b`, "ab"],
    ["a window title", `a${ESC}]0;pwned${BEL}b`, "ab"],
    ["an OSC 8 link, keeping its visible text", `see ${ESC}]8;;https://evil.example/${ST}the docs${ESC}]8;;${ST}.`, "see the docs."],
    ["colours and cursor moves", `${ESC}[1;31mred${ESC}[0m ${ESC}[2J${ESC}[H${ESC}[?25l`, "red "],
    ["8-bit CSI and OSC", `a\x9b31mb\x9d0;title\x9cc`, "abc"],
    ["a terminal reset and a character-set switch", `a${ESC}cb${ESC}(0c`, "abc"],
    ["a DCS string", `a${ESC}Pq#0;2;0;0;0${ST}b`, "ab"],
    ["carriage returns and backspaces that overwrite what was shown", "safe\rrm -rf ~\b\b", "saferm -rf ~"],
  ])("removes %s whole", (_name, input, output) => {
    expect(stripForTerminal(input)).toBe(output);
  });

  it("keeps newlines and tabs", () => {
    expect(stripForTerminal("a\tb\nc\r\nd")).toBe("a\tb\nc\nd");
  });

  it("removes an unended OSC's introducer and leaves its payload as harmless text", () => {
    expect(stripForTerminal(`a${ESC}]0;title`)).toBe("a0;title");
  });

  it("removes two bidi overrides in one string, and every sequence in a long one", () => {
    expect(stripForTerminal("\u202eevil\u202e twice")).toBe("evil twice");
    expect(stripForTerminal(`${ESC}]0;x${BEL}1`.repeat(1000))).toBe("1".repeat(1000));
  });

  it("strips many introducers without terminators in one pass (no scan to the end for each)", () => {
    const hostile = `${ESC}]`.repeat(50_000) + "\x9d".repeat(50_000);
    expect(stripForTerminal(hostile)).toBe("");
  });
});

describe("cleanUntrusted and clipText", () => {
  it("strips, then cuts, saying how much was left out", () => {
    expect(cleanUntrusted(`${ESC}[31m${"x".repeat(12)}`, 10)).toBe("xxxxxxxxxx… (2 more characters)");
    expect(clipText("short", 10)).toBe("short");
  });
});

describe("escapeJsonText", () => {
  it("writes C1 and bidi characters as \\u escapes and keeps the value", () => {
    const value = { report: `a\u202eb\x9b31m${ESC}]0;t${BEL}\u{e0041}` };
    const json = escapeJsonText(JSON.stringify(value));
    expect(json).toBe('{"report":"a\\u202eb\\u009b31m\\u001b]0;t\\u0007\\udb40\\udc41"}');
    expect(JSON.parse(json)).toEqual(value);
  });
});

/** Feeds deltas the way the live pane does: what is ready is stripped, the rest waits for the next. */
function streamThrough(deltas: readonly string[]): { shown: string; held: number[] } {
  let pending = "";
  let shown = "";
  const held: number[] = [];
  for (const delta of deltas) {
    const [ready, rest] = splitIncompleteEscape(pending + delta);
    shown += stripForTerminal(ready);
    pending = rest;
    held.push(rest.length);
  }
  return { shown: shown + stripForTerminal(pending), held };
}

describe("splitIncompleteEscape", () => {
  const hostile = `one ${ESC}[1;31mred${ESC}[0m two ${ESC}]52;c;cm0gLXJm${BEL} three ${ESC}]8;;https://x/${ST}link${ESC}]8;;${ST} four \x9b2J five`;

  it("shows the same text however the stream is cut, at every position", () => {
    const whole = stripForTerminal(hostile);
    expect(whole).toBe("one red two  three link four  five");
    for (let cut = 0; cut <= hostile.length; cut += 1) {
      expect(streamThrough([hostile.slice(0, cut), hostile.slice(cut)]).shown).toBe(whole);
    }
  });

  it("shows the same text when every character comes alone", () => {
    expect(streamThrough([...hostile]).shown).toBe("one red two  three link four  five");
  });

  it("holds back an unfinished sequence and lets text before it through", () => {
    expect(splitIncompleteEscape(`abc${ESC}[3`)).toEqual(["abc", `${ESC}[3`]);
    expect(splitIncompleteEscape(`abc${ESC}]0;tit`)).toEqual(["abc", `${ESC}]0;tit`]);
    expect(splitIncompleteEscape(`abc${ESC}]0;title${ESC}`)).toEqual(["abc", `${ESC}]0;title${ESC}`]);
    expect(splitIncompleteEscape(`abc${ESC}`)).toEqual(["abc", ESC]);
    expect(splitIncompleteEscape(`abc${ESC}[31mdef`)).toEqual([`abc${ESC}[31mdef`, ""]);
  });

  it(`holds back at most ${MAX_HELD_BACK} characters, then lets the introducer go to be stripped`, () => {
    const payload = "p".repeat(MAX_HELD_BACK - 2);
    // ESC ] and 254 characters: 256 in all, still held.
    expect(splitIncompleteEscape(`ok${ESC}]${payload}`)).toEqual(["ok", `${ESC}]${payload}`]);
    // One more: released whole, and stripping leaves the payload as plain text.
    const [ready, rest] = splitIncompleteEscape(`ok${ESC}]${payload}q`);
    expect(rest).toBe("");
    expect(stripForTerminal(ready)).toBe(`ok${payload}q`);
  });

  it("never holds more than the cap across a stream that never ends its sequence", () => {
    const { shown, held } = streamThrough([`a${ESC}]0;`, ...Array.from({ length: 100 }, () => "xxxxxxxxxx"), `${BEL}b`]);
    expect(Math.max(...held)).toBeLessThanOrEqual(MAX_HELD_BACK);
    expect(shown).toBe(`a0;${"x".repeat(1000)}b`);
  });
});

describe("edges of the text-safety helpers", () => {
  it("says whether one character is in the table", () => {
    expect(isUnsafeCharacter("a")).toBe(false);
    expect(isUnsafeCharacter("\u202e")).toBe(true);
    expect(isUnsafeCharacter("\x00")).toBe(true);
  });

  it("keeps text exactly as long as the cap, and cuts one character more", () => {
    expect(clipText("abc", 3)).toBe("abc");
    expect(clipText("abcd", 3)).toBe("abc… (1 more characters)");
    expect(cleanUntrusted("x".repeat(2001))).toBe(`${"x".repeat(2000)}… (1 more characters)`);
  });

  it("removes a CSI with intermediates, and leaves the text after an ESC with an intermediate byte", () => {
    expect(stripForTerminal(`a${ESC}[1;2 qb`)).toBe("ab");
    expect(stripForTerminal(`a${ESC}[>c`)).toBe("a");
    expect(stripForTerminal(`a${ESC}#8b`)).toBe("ab");
    expect(stripForTerminal(`a\x90payload\x9cb\x98x\x07c\x9ey${ST}d\x9fz${BEL}e`)).toBe("abcde");
    expect(stripForTerminal(`a${ESC}Xsos${ST}b${ESC}^pm${ST}c${ESC}_apc${BEL}d`)).toBe("abcd");
  });

  it("ends a control string's payload at the next introducer, so a later sequence is still removed", () => {
    expect(stripForTerminal(`a${ESC}]0;x${ESC}[31mb`)).toBe("a0;xb");
    expect(stripForTerminal(`a\x9dx\x90y${BEL}b`)).toBe("axb");
  });

  it("holds back each unfinished form: ESC with intermediates, a CSI without final byte, half of ST", () => {
    expect(splitIncompleteEscape(`ok${ESC}(`)).toEqual(["ok", `${ESC}(`]);
    expect(splitIncompleteEscape(`ok${ESC}[1;3`)).toEqual(["ok", `${ESC}[1;3`]);
    expect(splitIncompleteEscape(`ok\x9b1 `)).toEqual(["ok", "\x9b1 "]);
    expect(splitIncompleteEscape(`ok${ESC}]0;title${ESC}`)).toEqual(["ok", `${ESC}]0;title${ESC}`]);
    expect(splitIncompleteEscape(`ok\x9d0;t`)).toEqual(["ok", "\x9d0;t"]);
  });

  it("lets finished sequences and an ESC followed by text through", () => {
    expect(splitIncompleteEscape(`ok${ESC}[31m`)).toEqual([`ok${ESC}[31m`, ""]);
    expect(splitIncompleteEscape(`ok${ESC}]0;t${BEL}`)).toEqual([`ok${ESC}]0;t${BEL}`, ""]);
    expect(splitIncompleteEscape(`ok${ESC}[31mx`)).toEqual([`ok${ESC}[31mx`, ""]);
    expect(splitIncompleteEscape(`a${ESC}(0b`)).toEqual([`a${ESC}(0b`, ""]);
    expect(splitIncompleteEscape(`a${ESC}[1;a`)).toEqual([`a${ESC}[1;a`, ""]);
    expect(splitIncompleteEscape("plain")).toEqual(["plain", ""]);
  });
});

describe("splitIncompleteEscape holds back from the last unfinished sequence only", () => {
  it("lets a finished sequence through when an unfinished one follows it", () => {
    expect(splitIncompleteEscape(`a${ESC}[31mb${ESC}`)).toEqual([`a${ESC}[31mb`, ESC]);
    expect(splitIncompleteEscape(`a${ESC}[31mb${ESC}[1`)).toEqual([`a${ESC}[31mb`, `${ESC}[1`]);
  });
});
