import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues } from "../../src/text/zod-issues.js";

const Schema = z.strictObject({ limits: z.strictObject({ memoryMb: z.number().max(512) }).optional(), name: z.string() });

function errorOf(value: unknown): z.ZodError {
  const parsed = Schema.safeParse(value);
  if (parsed.success) throw new Error("expected a failure");
  return parsed.error;
}

describe("formatZodIssues", () => {
  it("writes every issue as path: message, joined by '; '", () => {
    expect(formatZodIssues(errorOf({ name: 3, limits: { memoryMb: 1000 } }))).toBe(
      "limits.memoryMb: Too big: expected number to be <=512; name: Invalid input: expected string, received number",
    );
  });

  it("names unknown keys as the problem to remove", () => {
    expect(formatZodIssues(errorOf({ name: "x", baseUrl: "http://a", other: 1 }))).toBe('unknown key "baseUrl", "other"');
  });

  it("shows a message that names its own field without the path, when told which those are", () => {
    const Flags = z.object({ timeout: z.string().refine(() => false, { message: "--timeout takes a duration" }), name: z.number() });
    const parsed = Flags.safeParse({ timeout: "soon", name: "x" });
    if (parsed.success) throw new Error("expected a failure");
    expect(formatZodIssues(parsed.error, { standsAlone: (m) => m.startsWith("--") })).toBe("--timeout takes a duration; name: Invalid input: expected number, received string");
  });

  it("names an issue about the whole value, names paths as asked, and shows only the first when asked", () => {
    expect(formatZodIssues(errorOf({ name: "x", baseUrl: 1 }), { whole: "(top level)" })).toBe('(top level): unknown key "baseUrl"');
    expect(formatZodIssues(errorOf({ name: 3, limits: { memoryMb: 1000 } }), { name: (path) => `--${String(path.at(-1))}`, most: 1 })).toBe(
      "--memoryMb: Too big: expected number to be <=512",
    );
  });
});
