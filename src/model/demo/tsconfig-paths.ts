// Workspace packages imported by name resolve to their built output (package.json "exports" point
// at dist/), and where dist/ does not mirror src/ (vitest: dist/index.js is built from
// src/public/index.ts) only the project's own map says where the source is. TypeScript monorepos
// keep that map in the root tsconfig's `compilerOptions.paths` ("vitest" →
// ./packages/vitest/src/index.ts, "@vitest/utils/*" → ./packages/utils/src/*), which their tests
// and editors resolve through. Each alias becomes one more way to import a package by name: an
// NpmPackage entry owned by the package folder its target lies in, so the audit of that package
// sees its tests' self-imports resolve to source.
import JSON5 from "json5";
import { z } from "zod";
import { joinPath, type NpmPackage } from "./imports.js";

/** Root tsconfig files read for `paths`, the first that has them wins for each alias. */
export const TSCONFIG_FILES = ["tsconfig.json", "tsconfig.base.json"] as const;

const TsConfig = z.object({
  compilerOptions: z
    .object({
      baseUrl: z.string().optional(),
      paths: z.record(z.string(), z.array(z.string())).optional(),
    })
    .optional(),
});

/** `compilerOptions` of a tsconfig text (JSON with comments and trailing commas), or undefined. */
function readCompilerOptions(text: string): z.infer<typeof TsConfig>["compilerOptions"] {
  try {
    const parsed = TsConfig.safeParse(JSON5.parse(text));
    return parsed.success ? parsed.data.compilerOptions : undefined;
  } catch {
    return undefined;
  }
}

/** The package folder (of `dirs`) that holds `file`: the longest that contains it, or ".". */
function ownerDir(file: string, dirs: readonly string[]): string {
  let best = ".";
  for (const dir of dirs) if (dir !== "." && file.startsWith(`${dir}/`) && dir.length > best.length) best = dir;
  return best;
}

/**
 * The aliases of root tsconfig files (texts by file name, all at the workspace root) as packages
 * importable by name. `packageDirs` are the workspace's package folders, to say whose source an
 * alias points into.
 */
export function tsconfigAliases(texts: ReadonlyArray<{ readonly text: string }>, packageDirs: readonly string[]): NpmPackage[] {
  const seen = new Set<string>();
  const out: NpmPackage[] = [];
  for (const { text } of texts) {
    const options = readCompilerOptions(text);
    const base = joinPath(".", options?.baseUrl ?? ".");
    if (base === undefined || options?.paths === undefined) continue;
    for (const [alias, targets] of Object.entries(options.paths)) {
      if (seen.has(alias)) continue;
      seen.add(alias);
      const wildcard = alias.endsWith("/*");
      const name = wildcard ? alias.slice(0, -2) : alias;
      // A bare name only: "*" elsewhere, or a relative or absolute alias, is not a package.
      if (name === "" || name.includes("*") || name.startsWith(".") || name.startsWith("/")) continue;
      for (const target of targets) {
        if ((target.match(/\*/g)?.length ?? 0) !== (wildcard ? 1 : 0)) continue;
        const inside = joinPath(base, target);
        if (inside === undefined || inside === ".") continue;
        const dir = ownerDir(wildcard ? inside.slice(0, inside.indexOf("*")) : inside, packageDirs);
        const relative = `./${dir === "." ? inside : inside.slice(dir.length + 1)}`;
        out.push({ name, dir, exports: { [wildcard ? "./*" : "."]: [relative] }, entries: [] });
      }
    }
  }
  return out;
}
