import { describe, expect, it } from "vitest";
import { packageImportKeys } from "../../../src/model/demo/imports.js";
import { npmPackage } from "../../../src/model/demo/packages.js";
import { tsconfigAliases } from "../../../src/model/demo/tsconfig-paths.js";

// As vitest's tsconfig.base.json: comments, trailing commas, exact and wildcard aliases.
const TSCONFIG = `{
  // the packages' names, mapped to their source
  "compilerOptions": {
    "paths": {
      "vitest": ["./packages/vitest/src/public/index.ts"],
      "@vitest/utils/*": ["./packages/utils/src/*"],
      "~/*": ["./packages/ui/client/*"],
      "./relative": ["./x.ts"],
    },
  },
}`;

describe("tsconfig paths as ways to import a package by name", () => {
  it("reads JSON with comments and trailing commas; each alias belongs to the package its target lies in", () => {
    expect(tsconfigAliases([{ text: TSCONFIG }], ["packages/vitest", "packages/utils"])).toEqual([
      { name: "vitest", dir: "packages/vitest", exports: { ".": ["./src/public/index.ts"] }, entries: [] },
      { name: "@vitest/utils", dir: "packages/utils", exports: { "./*": ["./src/*"] }, entries: [] },
      { name: "~", dir: ".", exports: { "./*": ["./packages/ui/client/*"] }, entries: [] },
    ]);
  });

  it("takes paths relative to baseUrl, and names nothing for a tsconfig it cannot read", () => {
    const text = JSON.stringify({ compilerOptions: { baseUrl: "packages", paths: { lib: ["lib/src/main.ts"] } } });
    expect(tsconfigAliases([{ text }, { text: "{ not json" }], ["packages/lib"])).toEqual([
      { name: "lib", dir: "packages/lib", exports: { ".": ["./src/main.ts"] }, entries: [] },
    ]);
    expect(tsconfigAliases([{ text: '{"compilerOptions":{"paths":{"x":["../outside.ts"]}}}' }], [])).toEqual([]);
  });

  it("resolves an import through the package's exports and through its alias alike", () => {
    const manifest = npmPackage("packages/vitest", JSON.stringify({ name: "vitest", exports: { ".": { import: "./dist/index.js" } }, main: "./dist/index.js" }));
    const aliases = tsconfigAliases([{ text: TSCONFIG }], ["packages/vitest", "packages/utils"]);
    if (manifest === undefined) throw new Error("the manifest was not read");
    expect(packageImportKeys("vitest", [manifest, ...aliases])).toEqual([
      "packages/vitest/dist/index",
      "packages/vitest/src/index",
      "packages/vitest/source/index",
      "packages/vitest/src/public/index",
    ]);
    expect(packageImportKeys("@vitest/utils/diff", aliases)).toEqual(["packages/utils/src/diff"]);
  });

  it("reads package.json source beside exports", () => {
    const manifest = npmPackage("packages/a", JSON.stringify({ name: "a", exports: { ".": "./dist/bundle.js" }, source: "./lib-src/entry.ts" }));
    if (manifest === undefined) throw new Error("the manifest was not read");
    expect(packageImportKeys("a", [manifest])).toContain("packages/a/lib-src/entry");
  });
});
