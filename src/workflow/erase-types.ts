// TypeScript syntax erased with the compiler the type check already loads (transpile only: no
// type information, no module resolution, nothing read from disk).
import { createRequire } from "node:module";
import type * as TS from "typescript";
import type { EraseTypes } from "./intake.js";

const require = createRequire(import.meta.url);

export const eraseTypes: EraseTypes = (code) => {
  const ts = require("typescript") as typeof TS;
  const output = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, removeComments: false, sourceMap: false },
  });
  // A syntax error makes transpile emit a best guess; a guess is not the code the model meant.
  if ((output.diagnostics ?? []).some((d) => d.category === ts.DiagnosticCategory.Error)) return undefined;
  return output.outputText;
};
