// The type-check cache: a result is found again only for the exact code and dialect it was made
// for; anything else in the folder (a planted file, a corrupt one) is a miss, so a check runs.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTypeCheckCache, typeCheckCacheDir, typeCheckKey } from "../../src/workflow/type-check-cache.js";
import { typeCheckInWorker, useTypeCheckCache } from "../../src/workflow/type-check-worker.js";
import type { Diagnostic } from "../../src/workflow/validate.js";

const CODE = `async function main(wf) {\n  return wf.runAgents("x");\n}\n`;
const FOUND: Diagnostic[] = [{ line: 2, column: 13, severity: "error", message: "type: a finding" }];
const scratchDir = () => path.join(mkdtempSync(path.join(os.tmpdir(), "agentwf-tc-cache-")), "type-check");

describe("the type-check cache", () => {
  it("finds a result again for the same code and dialect only", () => {
    const cache = createTypeCheckCache(scratchDir());
    expect(cache.read(CODE, "main")).toBeUndefined();
    cache.write(CODE, "main", FOUND);
    expect(cache.read(CODE, "main")).toEqual(FOUND);
    expect(cache.read(`${CODE} `, "main")).toBeUndefined();
    expect(cache.read(CODE, "claude")).toBeUndefined();
  });

  it("keys by a full SHA-256 that differs with the code and the dialect", () => {
    expect(typeCheckKey(CODE, "main")).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set([typeCheckKey(CODE, "main"), typeCheckKey(CODE, "claude"), typeCheckKey(`${CODE}\n`, "main")]).size).toBe(3);
  });

  it("treats an entry that names another key, or is not an entry, as a miss", () => {
    const dir = scratchDir();
    const cache = createTypeCheckCache(dir);
    cache.write("async function main(wf) {}\n", "main", []);
    const key = typeCheckKey(CODE, "main");
    // A file under the right name whose key says it was made for other code.
    writeFileSync(path.join(dir, `${key}.json`), JSON.stringify({ key: typeCheckKey("other", "main"), diagnostics: [] }));
    expect(cache.read(CODE, "main")).toBeUndefined();
    writeFileSync(path.join(dir, `${key}.json`), "{ not json");
    expect(cache.read(CODE, "main")).toBeUndefined();
    writeFileSync(path.join(dir, `${key}.json`), JSON.stringify({ key, diagnostics: [{ line: "1" }] }));
    expect(cache.read(CODE, "main")).toBeUndefined();
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("lives under XDG_CACHE_HOME when it is absolute, else under the home's .cache", () => {
    expect(typeCheckCacheDir({ XDG_CACHE_HOME: "/x/cache" }, "/home/p")).toBe("/x/cache/agentwf/type-check");
    expect(typeCheckCacheDir({ XDG_CACHE_HOME: "relative" }, "/home/p")).toBe("/home/p/.cache/agentwf/type-check");
    expect(typeCheckCacheDir({}, "/home/p")).toBe("/home/p/.cache/agentwf/type-check");
  });
});

describe("typeCheckInWorker with the cache", () => {
  it("checks code it has not seen, keeps the result, and answers from the cache next time", async () => {
    const dir = scratchDir();
    useTypeCheckCache(dir);
    const checked = await typeCheckInWorker(CODE, "main");
    expect(checked.map((d) => [d.line, d.severity])).toEqual([[2, "error"]]);
    expect(checked[0]?.message).toContain("runAgents");
    expect(createTypeCheckCache(dir).read(CODE, "main")).toEqual(checked);
    // What the cache holds is the answer: an entry written for this exact code is returned as is.
    createTypeCheckCache(dir).write(CODE, "main", FOUND);
    expect(await typeCheckInWorker(CODE, "main")).toEqual(FOUND);
    // Other code is checked by the compiler, not taken from the entry.
    const other = await typeCheckInWorker(`async function main(wf) {\n  return wf.runAgent("x");\n}\n`, "main");
    expect(other).toEqual([]);
  });
});
