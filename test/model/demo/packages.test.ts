import { describe, expect, it } from "vitest";
import { fileText, flattenExports, isWalkedManifest, workspaceMembers, workspacePackages, workspacePatterns } from "../../../src/model/demo/packages.js";

describe("workspace discovery", () => {
  it("reads workspace globs from package.json and pnpm-workspace.yaml", () => {
    expect(workspacePatterns('{"workspaces": ["packages/*"]}', "packages:\n  - tools/*\n  - '!tools/skip'\n")).toEqual(["packages/*", "tools/*", "!tools/skip"]);
    expect(workspacePatterns('{"workspaces": {"packages": ["apps/*"]}}', undefined)).toEqual(["apps/*"]);
  });

  it("keeps the package.json folders the globs name, minus negated ones", () => {
    const manifests = ["package.json", "packages/a/package.json", "tools/skip/package.json", "tools/x/package.json", "other/package.json"];
    expect(workspaceMembers(manifests, ["packages/*", "tools/*", "!tools/skip"])).toEqual(["packages/a", "tools/x"]);
  });

  it("matches a hostile workspace glob in linear time, and still reads the others", () => {
    // `*a*a…ab` against a long run of "a" makes a backtracking matcher try every split (picomatch
    // took 7 s on one 250-character name); RE2 reads the name once. A negated extglob is not read.
    const long = `packages/${"a".repeat(5000)}`;
    const manifests = [`${long}/package.json`, "packages/ok/package.json", "apps/web/package.json"];
    const hostile = `packages/${"*a".repeat(40)}b`;
    expect(workspaceMembers(manifests, [hostile, "apps/*", "!(x)"])).toEqual(["apps/web"]);
    expect(workspaceMembers(manifests, ["packages/{ok,a*}"])).toEqual([long, "packages/ok"]);
  });

  it("ignores manifests in fixtures, examples and dependencies", () => {
    expect(["test/fixtures/a/package.json", "examples/x/go.mod", "a/node_modules/b/package.json", "packages/a/package.json"].map(isWalkedManifest)).toEqual([false, false, false, true]);
  });

  it("makes one package per member, Go module and Python project, each excluding the ones nested in it", () => {
    const packages = workspacePackages({
      manifests: ["package.json", "packages/a/package.json", "go/tool/go.mod", "py/pyproject.toml", "test/e2e/package.json"],
      members: ["packages/a", "test/e2e"],
      npm: [{ name: "@x/a", dir: "packages/a", exports: {}, entries: [] }],
      workspaceName: "repo",
    });
    expect(packages.map((p) => [p.dir, p.label, p.kind, p.role])).toEqual([
      [".", "repo", "npm", "audit"],
      ["go/tool", "go/tool", "Go module", "audit"],
      ["packages/a", "@x/a", "npm", "audit"],
      ["py", "py", "Python", "audit"],
      ["test/e2e", "test/e2e", "npm", "tests"],
    ]);
    expect(packages[0]?.exclude).toEqual(["go/tool", "packages/a", "py", "test/e2e"]);
    expect(packages[2]?.exclude).toEqual([]);
  });

  it("flattens exports to subpath → targets", () => {
    expect(flattenExports({ ".": { types: "./dist/i.d.ts", default: "./dist/i.js" }, "./diff": "./dist/diff.js" })).toEqual({
      ".": ["./dist/i.d.ts", "./dist/i.js"],
      "./diff": ["./dist/diff.js"],
    });
    expect(flattenExports("./index.js")).toEqual({ ".": ["./index.js"] });
    expect(flattenExports({ import: "./a.mjs", require: "./a.cjs" })).toEqual({ ".": ["./a.mjs", "./a.cjs"] });
  });

  it("reads read_file output back to the file's text", () => {
    expect(fileText('1\t{\n2\t  "name": "x"\n3\t}')).toBe('{\n  "name": "x"\n}');
    expect(fileText("Error: no such file")).toBeUndefined();
  });
});
