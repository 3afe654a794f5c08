import { describe, expect, it } from "vitest";
import { createNameIndex, nameKey, testNameKeys } from "../../../src/model/demo/names.js";

describe("nameKey", () => {
  it("compares names without case or separators", () => {
    expect(nameKey("http-error")).toBe(nameKey("HTTPError"));
    expect(nameKey("http_error")).toBe("httperror");
  });
});

describe("testNameKeys", () => {
  it("drops the test marker, then offers the leading words", () => {
    expect(testNameKeys("src/foo-bar.test.ts")).toEqual(["foobar", "foo"]);
    expect(testNameKeys("tests/test_models.py")).toEqual(["models"]);
    expect(testNameKeys("cmd/root_test.go")).toEqual(["root"]);
  });
});

describe("createNameIndex", () => {
  it("goes by the longest mirrored tail among many same-named sources, then the shallowest", () => {
    const index = createNameIndex(["src/a/b/c/d/util.ts", "src/x/b/c/d/util.ts", "src/c/d/util.ts", "lib/d/util.ts", "util.ts", "src/e/a/b/c/d/util.ts"]);
    expect(index.sourcesFor("test/a/b/c/d/util.test.ts")).toEqual(["src/a/b/c/d/util.ts"]);
    expect(index.sourcesFor("test/e/a/b/c/d/util.test.ts")).toEqual(["src/e/a/b/c/d/util.ts"]);
    expect(index.sourcesFor("test/z/b/c/d/util.test.ts")).toEqual(["src/a/b/c/d/util.ts", "src/x/b/c/d/util.ts"]);
    expect(index.sourcesFor("test/q/c/d/util.test.ts")).toEqual(["src/c/d/util.ts"]);
    expect(index.sourcesFor("test/d/util.test.ts")).toEqual(["lib/d/util.ts"]);
    expect(index.sourcesFor("test/k/util.test.ts")).toEqual(["util.ts"]);
  });

  it("matches a mirrored test to the source whose folders it mirrors", () => {
    const index = createNameIndex(["lib/arguments/cwd.js", "lib/other/cwd.js"]);
    expect(index.sourcesFor("test/arguments/cwd.js")).toEqual(["lib/arguments/cwd.js"]);
  });

  it("matches ky's test/http-error.ts to source/errors/HTTPError.ts", () => {
    expect(createNameIndex(["source/errors/HTTPError.ts", "source/index.ts"]).sourcesFor("test/http-error.ts")).toEqual(["source/errors/HTTPError.ts"]);
  });

  it("prefers the source beside the test", () => {
    expect(createNameIndex(["src/a/util.ts", "src/b/util.ts"]).sourcesFor("src/b/util.test.ts")).toEqual(["src/b/util.ts"]);
  });

  it("matches __tests__ folders to the folder that holds them", () => {
    expect(createNameIndex(["src/util.ts", "src/deep/util.ts"]).sourcesFor("src/__tests__/util.test.ts")).toEqual(["src/util.ts"]);
  });

  it("matches by leading words in either direction when the whole name has no source", () => {
    const index = createNameIndex(["lib/kill.js", "lib/all-async.js", "lib/all-sync.js"]);
    expect(index.sourcesFor("test/kill-force.js")).toEqual(["lib/kill.js"]);
    expect(index.sourcesFor("test/all.js")).toEqual(["lib/all-async.js", "lib/all-sync.js"]);
  });

  it("lets an index file go by its folder's name", () => {
    expect(createNameIndex(["src/loader/index.ts"]).sourcesFor("test/loader.test.ts")).toEqual(["src/loader/index.ts"]);
  });

  it("matches nothing when no source has the name", () => {
    expect(createNameIndex(["src/a.ts"]).sourcesFor("test/b.test.ts")).toEqual([]);
  });
});
