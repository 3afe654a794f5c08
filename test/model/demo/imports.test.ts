import { describe, expect, it } from "vitest";
import { createImportIndex, createImportMatcher, importsOnLine, packageImportKeys, type ImportTarget, type NpmPackage } from "../../../src/model/demo/imports.js";

const utils: NpmPackage = {
  name: "@mono/utils",
  dir: "packages/utils",
  exports: { ".": ["./dist/index.js"], "./diff": ["./dist/diff.d.ts", "./dist/diff.js"], "./sub/*": ["./dist/sub/*.js"] },
  entries: [],
};

describe("importsOnLine", () => {
  it("reads JavaScript and TypeScript relative imports, require and dynamic import", () => {
    expect(importsOnLine("test/a.ts", "import x from '../source/index.js';", [])).toEqual([{ kind: "exact", key: "source/index" }]);
    expect(importsOnLine("test/a.js", "const y = require(\"./helpers/z\"); await import('../lib')", [])).toEqual([
      { kind: "exact", key: "test/helpers/z" },
      { kind: "exact", key: "lib" },
    ]);
    expect(importsOnLine("test/a.ts", "} from '../../../outside.js'", [])).toEqual([]);
  });

  it("resolves imports of workspace packages by name through exports, reading dist/ as src/", () => {
    expect(importsOnLine("test/a.ts", "import { diff } from '@mono/utils/diff'", [utils])).toEqual([
      { kind: "exact", key: "packages/utils/dist/diff" },
      { kind: "exact", key: "packages/utils/src/diff" },
      { kind: "exact", key: "packages/utils/source/diff" },
    ]);
    expect(packageImportKeys("@mono/utils/sub/x", [utils])).toContain("packages/utils/src/sub/x");
    expect(packageImportKeys("lodash", [utils])).toEqual([]);
  });

  it("reads Python imports: import pkg.mod, from pkg import mod, and relative ones", () => {
    expect(importsOnLine("tests/t.py", "import os, requests.models as m", [])).toEqual([
      { kind: "module", key: "os" },
      { kind: "module", key: "requests/models" },
    ]);
    expect(importsOnLine("tests/t.py", "from requests import models, Session  # comment", [])).toEqual([
      { kind: "module", key: "requests" },
      { kind: "module", key: "requests/models" },
      { kind: "module", key: "requests/Session" },
    ]);
    expect(importsOnLine("tests/unit/t.py", "from ..helpers import x", [])).toEqual([
      { kind: "exact", key: "tests/helpers" },
      { kind: "exact", key: "tests/helpers/x" },
    ]);
  });
});

describe("createImportIndex", () => {
  it("finds sources by exact key, folder index, and Python module suffix", () => {
    const index = createImportIndex(["source/index.ts", "src/requests/models.py", "src/requests/__init__.py"]);
    expect(index.sourcesFor({ kind: "exact", key: "source" })).toEqual(["source/index.ts"]);
    expect(index.sourcesFor({ kind: "exact", key: "source/index" })).toEqual(["source/index.ts"]);
    expect(index.sourcesFor({ kind: "module", key: "requests/models" })).toEqual(["src/requests/models.py"]);
    expect(index.sourcesFor({ kind: "module", key: "requests" })).toEqual(["src/requests/__init__.py"]);
    expect(index.sourcesFor({ kind: "module", key: "source/index" })).toEqual([]);
  });
});

describe("createImportMatcher", () => {
  it("names the same sources as looking every target up in the index", () => {
    const sources = ["source/index.ts", "src/requests/models.py", "src/requests/__init__.py", "src/a/b.ts", "src/a/b/index.js", "lib/x.py", "pkg/mod.py"];
    const targets: ImportTarget[] = [
      { kind: "exact", key: "source" },
      { kind: "exact", key: "src/a/b" },
      { kind: "module", key: "requests/models" },
      { kind: "module", key: "requests" },
      { kind: "module", key: "mod" },
      { kind: "module", key: "source/index" },
      { kind: "exact", key: "lib/y" },
    ];
    const index = createImportIndex(sources);
    const expected = new Set(targets.flatMap((target) => index.sourcesFor(target)));
    const matches = createImportMatcher(targets);
    expect(sources.filter(matches)).toEqual(sources.filter((source) => expected.has(source)));
    expect(sources.filter(matches)).toEqual(["source/index.ts", "src/requests/models.py", "src/requests/__init__.py", "src/a/b.ts", "src/a/b/index.js", "pkg/mod.py"]);
  });

  it("matches nothing without targets", () => {
    expect(["src/a.ts", "src/b.py"].filter(createImportMatcher([]))).toEqual([]);
  });
});
