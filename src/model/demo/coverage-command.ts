// How a package measures its coverage, from its manifest, as the built-in coverage-auditor is told
// to find it: a package.json script named for coverage, else Node's own test runner coverage when
// the test script is `node --test`; pytest-cov when the Python project declares it; `go test -cover`
// for a Go module. The command runs in the package's folder through the sandboxed bash tool.
import { z } from "zod";

/** The manifests a package's kind names, read before deciding. */
export function manifestsFor(kind: string): string[] {
  const out: string[] = [];
  if (kind.includes("npm")) out.push("package.json");
  if (kind.includes("Python")) out.push("pyproject.toml", "setup.cfg", "requirements-dev.txt", "requirements.txt");
  if (kind.includes("Go module")) out.push("go.mod");
  return out;
}

export type CoveragePlan =
  | { readonly kind: "command"; readonly command: string; readonly why: string }
  | { readonly kind: "none"; readonly reason: string };

const PackageScripts = z.object({ scripts: z.record(z.string(), z.unknown()).optional() }).passthrough();

/** Script names that measure coverage, most specific first. */
const COVERAGE_SCRIPTS = ["coverage", "test:coverage", "test:cov", "cov", "coverage:test"];

function scriptsOf(text: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  const parsed = PackageScripts.safeParse(value);
  const out: Record<string, string> = {};
  if (!parsed.success) return out;
  for (const [name, script] of Object.entries(parsed.data.scripts ?? {})) if (typeof script === "string") out[name] = script;
  return out;
}

/** A name or path as one shell word: plain ones as they are, anything else quoted. */
function shellQuote(text: string): string {
  return /^[A-Za-z0-9_:./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** `manifests`: file name → its text, for those that exist (read_file's content). */
export function planCoverage(kind: string, manifests: ReadonlyMap<string, string>): CoveragePlan {
  const pkg = manifests.get("package.json");
  if (pkg !== undefined) {
    const scripts = scriptsOf(pkg);
    const named = COVERAGE_SCRIPTS.find((name) => name in scripts);
    if (named !== undefined) return { kind: "command", command: `npm run --silent ${shellQuote(named)}`, why: `package.json script "${named}"` };
    const test = scripts.test ?? "";
    if (/\bnode\s+(?:[^|&;]*\s)?--test\b/.test(test)) {
      return { kind: "command", command: "node --test --experimental-test-coverage", why: 'the test script runs Node\'s test runner ("node --test"), which measures coverage itself' };
    }
    if (/\b(?:vitest|jest|c8|nyc)\b/.test(test) && !kind.includes("Python") && !kind.includes("Go module")) {
      return { kind: "none", reason: `package.json has no coverage script, and its test script ("${test.slice(0, 60)}") needs a coverage provider that may not be installed` };
    }
  }
  const python = ["pyproject.toml", "setup.cfg", "requirements-dev.txt", "requirements.txt"].map((f) => manifests.get(f) ?? "").join("\n");
  if (/\bpytest-cov\b/.test(python)) return { kind: "command", command: "python3 -m pytest -q --cov=. --cov-report=term", why: "the project declares pytest-cov" };
  if (manifests.has("go.mod")) return { kind: "command", command: "go test -cover ./...", why: "a Go module measures coverage with go test -cover" };
  if (pkg !== undefined) return { kind: "none", reason: 'package.json has no coverage script ("coverage", "test:coverage") and its tests do not run on "node --test"' };
  if (kind.includes("Python")) return { kind: "none", reason: "the Python project does not declare pytest-cov" };
  return { kind: "none", reason: "the folder has no manifest (package.json, pyproject.toml, go.mod) that names a coverage command" };
}

/** The command as bash runs it: in the package's folder. */
export function commandIn(dir: string, command: string): string {
  return dir === "." ? command : `cd -- ${shellQuote(dir)} && ${command}`;
}
