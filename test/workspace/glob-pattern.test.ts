import { describe, expect, it } from "vitest";
import { compileGlob, literalBase } from "../../src/workspace/glob-pattern.js";

function matches(pattern: string, path: string): boolean {
  const compiled = compileGlob(pattern);
  if (!compiled.ok) throw new Error(compiled.error);
  return compiled.test(path);
}

describe("compileGlob", () => {
  it.each([
    ["**/*.ts", "a/b/c.ts", true],
    ["**/*.ts", "c.ts", true],
    ["**/*.ts", "c.tsx", false],
    ["*.md", "a/b.md", false],
    ["sec/*", "sec/x", true],
    ["sec/*", "sec/x/y", false],
    ["src/**", "src/a/b", true],
    ["src/**/test-*.{js,ts}", "src/test-a.js", true],
    ["src/**/test-*.{js,ts}", "src/x/y/test-a.ts", true],
    ["src/{a,{b,c}}/*.ts", "src/c/x.ts", true],
    ["a?c.ts", "abc.ts", true],
    ["a?c.ts", "a/c.ts", false],
    ["[abc].ts", "b.ts", true],
    ["[!a].ts", "a.ts", false],
    ["[!a].ts", "b.ts", true],
    ["@(a|b)/*.js", "a/x.js", true],
    ["@(a|b)/*.js", "c/x.js", false],
    ["a+(b).ts", "abbb.ts", true],
    ["x.(ts)", "x.(ts)", true],
    ["\\*.ts", "*.ts", true],
    ["\\*.ts", "a.ts", false],
    // The shapes decided by name without the regex engine: "**/NAME" at any depth, "NAME" at the top only.
    ["**/{package.json,go.mod}", "a/b/package.json", true],
    ["**/{package.json,go.mod}", "go.mod", true],
    ["**/{package.json,go.mod}", "a/package.jsonx", false],
    ["**/{package.json,go.mod}", "package.json/x", false],
    ["{package.json,go.mod}", "a/go.mod", false],
    ["{package.json,go.mod}", "go.mod", true],
    ["**/*.{ts,tsx}", "a/.b.tsx", true],
    ["**/*.{ts,tsx}", "a/b.mts", false],
    ["**/*.{ts,tsx}", "a.ts/b", false],
    ["**/*.{ts,tsx}", "a/.ts", true],
    ["*.{md,txt}", "y.txt", true],
    ["*.{md,txt}", "x/y.md", false],
    ["**/test-{a,b}.js", "x/test-b.js", true],
    ["**/test-{a,b}.js", "x/test-c.js", false],
    ["**/*.d.ts", "x/y.d.ts", true],
    ["**/*.d.ts", "x/y.ts", false],
  ])("%s against %s is %s", (pattern, path, expected) => {
    expect(matches(pattern, path)).toBe(expected);
  });

  it("answers patterns that make backtracking matchers spin, over hostile names and depths", () => {
    expect(matches("*a*a*a*a*a*a*a*ab", "a".repeat(250))).toBe(false);
    expect(matches(`${"**/a/".repeat(7)}z`, `${"a/".repeat(1000)}y`)).toBe(false);
  });

  it("refuses a negated extglob, which has no linear-time form, and says what to do", () => {
    expect(compileGlob("!(a).ts")).toEqual({
      ok: false,
      error: 'pattern "!(a).ts": the negated extglob !(…) is not supported; match more broadly and leave out what you do not need',
    });
  });
});

describe("literalBase", () => {
  it("is the leading directories without glob syntax", () => {
    expect([literalBase("src/lib/**/*.ts"), literalBase("*.md"), literalBase("src/a.ts"), literalBase("{a,b}/x"), literalBase("a/b\\*/c")]).toEqual([
      "src/lib",
      "",
      "src",
      "",
      "a",
    ]);
  });
});
