// The workflow the demo parent proposes. With one package, one sub-agent audits it. With several,
// a first fan-out reads what each package's tests import from the others, and a second audits
// each package's sources against its own tests and those imports.
import type { NpmPackage } from "./imports.js";
import type { WorkspacePackage } from "./packages.js";

export const DEMO_AUDIT_MARKER = "[demo:audit]";
export const DEMO_IMPORTS_MARKER = "[demo:imports]";

/** The workflow's code for these packages. */
export function demoWorkflow(packages: readonly WorkspacePackage[], npm: readonly NpmPackage[]): string {
  const audited = packages.filter((p) => p.role === "audit");
  // The coverage-auditor runs the package's coverage command through bash when it finds one, and
  // falls back to reading the tests (names, imports) when it cannot, saying which it did.
  const auditPrompt = `${DEMO_AUDIT_MARKER} Measure this package's coverage with its own coverage command through bash; if it has none or it fails, list its files with glob and list_dir, read its tests' imports with grep, and name every source file with no test.\n`;
  const header = [
    "async function main(wf) {",
    "  // The workspace's packages, from its manifests (package.json workspaces, go.mod, pyproject.toml).",
    `  const packages = ${JSON.stringify(audited)};`,
    "  // Workspace packages that tests may import by name.",
    `  const npm = ${JSON.stringify(npm)};`,
  ];
  if (packages.length === 1) {
    return [
      ...header,
      "  const findings = await wf.mapAgents(",
      "    packages,",
      `    (pkg) => ${JSON.stringify(auditPrompt)} + JSON.stringify({ package: pkg, npm, imported: [] }),`,
      '    { agent: "coverage-auditor", description: (pkg) => "audit " + pkg.label },',
      "  );",
      "  return { findings: findings.map((text) => JSON.parse(text)), testPackages: [] };",
      "}",
    ].join("\n");
  }
  const importsPrompt = `${DEMO_IMPORTS_MARKER} List this package's test files with glob and list_dir, read their imports with grep, and return those that point into other packages.\n`;
  return [
    ...header,
    "  // Packages of tests only: their imports count, they have no sources of their own.",
    `  const testPackages = ${JSON.stringify(packages.filter((p) => p.role === "tests"))};`,
    "  const owners = [...packages, ...testPackages].map((p) => p.dir);",
    "  // 1. What each package's tests import from the other packages.",
    "  const crossImports = await wf.mapAgents(",
    "    [...packages, ...testPackages],",
    `    (pkg) => ${JSON.stringify(importsPrompt)} + JSON.stringify({ package: pkg, npm, owners }),`,
    '    { description: (pkg) => "imports of " + pkg.label },',
    "  );",
    "  const imported = crossImports.map((text) => JSON.parse(text));",
    "  wf.log(`read the imports of ${imported.length} packages' tests`);",
    "  // 2. Each package's sources against its own tests and the imports from elsewhere.",
    "  const findings = await wf.mapAgents(",
    "    packages,",
    "    (pkg) =>",
    `      ${JSON.stringify(auditPrompt)} +`,
    "      JSON.stringify({",
    "        package: pkg,",
    "        npm: npm.filter((p) => p.dir === pkg.dir),",
    '        imported: imported.flatMap(({ refs }) => [...(refs[pkg.dir] ?? []), ...(refs["*"] ?? [])]),',
    "      }),",
    '    { agent: "coverage-auditor", description: (pkg) => "audit " + pkg.label },',
    "  );",
    "  return {",
    "    findings: findings.map((text) => JSON.parse(text)),",
    "    testPackages: imported.map(({ label, dir, testFiles, incomplete }) => ({ label, dir, testFiles, incomplete })),",
    "  };",
    "}",
  ].join("\n");
}
