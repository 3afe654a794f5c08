// Type-check results kept across runs, so that running a workflow checked before (an `exec` of the
// same file, a saved or approved workflow, a resumed run, a parent proposing the same code) never
// loads the TypeScript compiler: that is most of start-up's CPU.
//
// Safe because of where it lives and what keys it: the person's own cache directory
// ($XDG_CACHE_HOME/agentwf/type-check, beside the compile cache), never the workspace, which a
// cloned repository writes; each entry is named by the SHA-256 of every input of the check (the
// exact code, its dialect, the declarations it is checked against, the checker's own source and
// the compiler's version), and holds only the diagnostics, with its key inside. Different code can
// only find its own entry; a changed declaration file, checker or compiler misses every old one.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { Dialect } from "./dialect.js";
import { DECLARATION_FILES } from "./type-check.js";
import type { Diagnostic } from "./validate.js";

const FORMAT = "agentwf type-check cache 1";
/** Past this many entries the oldest are removed when a new one is written. */
const MAX_ENTRIES = 2000;
const KEEP_AFTER_PRUNE = 1500;
/** An entry is a few hundred bytes; anything larger is not one of ours. */
const MAX_ENTRY_BYTES = 1024 * 1024;

const EntrySchema = z.object({
  key: z.string(),
  diagnostics: z.array(
    z.object({ line: z.number().int(), column: z.number().int(), severity: z.enum(["error", "warning"]), message: z.string() }),
  ),
});

const require = createRequire(import.meta.url);

/**
 * The checker's own code, which decides what is reported and how: the module next to this one (its
 * TypeScript source under the test runner). In the bundled CLI (dist/bundle) it is inside this very
 * file, which is named by its size and time instead of hashing megabytes on every start.
 */
function ownSource(name: string): string {
  for (const ext of [".js", ".ts"]) {
    try {
      return readFileSync(fileURLToPath(new URL(`./${name}${ext}`, import.meta.url)), "utf8");
    } catch {
      // Try the other extension, then the bundle.
    }
  }
  const self = fileURLToPath(import.meta.url);
  const stat = statSync(self);
  return `${self} ${stat.size} ${stat.mtimeMs}`;
}

// What the result depends on besides the code, per dialect: read once per process (a few small
// files, no compiler).
const environment = new Map<Dialect, string>();

function environmentDigest(dialect: Dialect): string {
  let digest = environment.get(dialect);
  if (digest === undefined) {
    const compiler = JSON.parse(readFileSync(require.resolve("typescript/package.json"), "utf8")) as { version?: unknown };
    const hash = createHash("sha256");
    for (const part of [FORMAT, String(compiler.version), readFileSync(DECLARATION_FILES[dialect], "utf8"), ownSource("type-check"), ownSource("isolate-script")]) {
      hash.update(`${Buffer.byteLength(part)}:`).update(part);
    }
    digest = hash.digest("hex");
    environment.set(dialect, digest);
  }
  return digest;
}

/** The full key of one check: the environment, the dialect and the exact code. */
export function typeCheckKey(code: string, dialect: Dialect): string {
  return createHash("sha256").update(environmentDigest(dialect)).update(`\0${dialect}\0`).update(code).digest("hex");
}

export interface TypeCheckCache {
  read(code: string, dialect: Dialect): Diagnostic[] | undefined;
  write(code: string, dialect: Dialect, diagnostics: readonly Diagnostic[]): void;
}

/** The cache in `dir` (created when first written). Every failure is a miss: it only saves time. */
export function createTypeCheckCache(dir: string): TypeCheckCache {
  const entryPath = (key: string) => path.join(dir, `${key}.json`);
  return {
    read(code, dialect) {
      try {
        const key = typeCheckKey(code, dialect);
        const file = entryPath(key);
        if (statSync(file).size > MAX_ENTRY_BYTES) return undefined;
        const entry = EntrySchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
        if (!entry.success || entry.data.key !== key) return undefined;
        // Used entries stay: pruning removes the least recently used.
        const now = new Date();
        utimesSync(file, now, now);
        return entry.data.diagnostics;
      } catch {
        return undefined;
      }
    },
    write(code, dialect, diagnostics) {
      try {
        const key = typeCheckKey(code, dialect);
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        // Written whole, then renamed into place: a reader never sees half an entry.
        const temporary = path.join(dir, `.${key}.${randomBytes(6).toString("hex")}.tmp`);
        writeFileSync(temporary, JSON.stringify({ key, diagnostics }), { mode: 0o600, flag: "wx" });
        renameSync(temporary, entryPath(key));
        prune(dir);
      } catch {
        // Only slower next time.
      }
    },
  };
}

function prune(dir: string): void {
  const names = readdirSync(dir).filter((name) => name.endsWith(".json"));
  if (names.length <= MAX_ENTRIES) return;
  const aged = names.map((name) => {
    try {
      return { name, at: statSync(path.join(dir, name)).mtimeMs };
    } catch {
      return { name, at: 0 };
    }
  });
  aged.sort((a, b) => a.at - b.at);
  for (const { name } of aged.slice(0, aged.length - KEEP_AFTER_PRUNE)) rmSync(path.join(dir, name), { force: true });
}

/** Where the person's cache lives: $XDG_CACHE_HOME (when absolute) or ~/.cache, then agentwf/type-check. */
export function typeCheckCacheDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, ".cache");
  return path.join(base, "agentwf", "type-check");
}
