// Type-checks workflow code against the `wf` declarations (prompts/wf.d.ts, the same text the
// model reads) with the TypeScript compiler API, so that unknown `wf` methods, wrong argument
// shapes and misspelt option names are caught before a person is asked to approve.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type * as TS from "typescript";
import { escapeForDisplay } from "../text/safe-text.js";
import type { Dialect } from "./dialect.js";
import { WRAP_PREFIX, isolateScript } from "./isolate-script.js";
import type { Diagnostic } from "./validate.js";

const require = createRequire(import.meta.url);
const PROMPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prompts");
// Each dialect against its own declarations, the same files its prompt shows the model.
const WF_DTS = path.join(PROMPTS, "wf.d.ts");
const CLAUDE_DTS = path.join(PROMPTS, "claude-workflow.d.ts");
/** The declarations each dialect is checked against (the type-check cache keys by their text). */
export const DECLARATION_FILES: Readonly<Record<Dialect, string>> = { main: WF_DTS, claude: CLAUDE_DTS };

// Only what the sandbox really has: ES2022 and the `console` the runtime defines.
const SANDBOX_GLOBALS = `
interface SandboxConsole { log(...args: unknown[]): void; info(...args: unknown[]): void; warn(...args: unknown[]): void; error(...args: unknown[]): void; debug(...args: unknown[]): void }
declare const console: SandboxConsole;
`;

// Diagnostics about the wf contract block the workflow; other type complaints about plain
// JavaScript are shown as warnings, since JS inference is loose and a false error would stall
// the parent on code that runs fine.
const CONTRACT_TYPES = /\b(Wf|AgentOptions|MapOptions|AgentOpts|Budget|WorkflowMeta)\b/;
const CONTRACT_CODES = new Set([2554, 2555, 2556, 2345, 2353, 2559, 2561]);

interface Checker {
  readonly ts: typeof TS;
  readonly libFiles: Map<string, TS.SourceFile>;
  readonly declarations: Readonly<Record<Dialect, string>>;
  /** Each dialect's last program: the next check reuses its structure (library and declaration files). */
  readonly last: Map<Dialect, TS.Program>;
}

let checker: Checker | undefined;

function loadChecker(): Checker {
  if (checker !== undefined) return checker;
  // Loaded on first use: the compiler is large, and commands that never validate should not pay.
  const ts = require("typescript") as typeof TS;
  const declarations = {
    main: readFileSync(WF_DTS, "utf8").replace(/^declare function main\(.*$/m, "") + SANDBOX_GLOBALS,
    claude: readFileSync(CLAUDE_DTS, "utf8") + SANDBOX_GLOBALS,
  };
  checker = { ts, libFiles: new Map(), declarations, last: new Map() };
  return checker;
}

const MAIN_PARAM = /\basync\s+function\s+main\s*\(\s*/;
const INJECTED = "/** @type {Wf} */ ";

/** Returns type diagnostics for workflow code that already parsed. */
export function typeCheckWorkflow(code: string, dialect: Dialect = "main"): Diagnostic[] {
  const { ts, libFiles, declarations, last } = loadChecker();
  let source: string;
  let insertLine: number;
  let insertColumn: number;
  let inserted: number;
  if (dialect === "claude") {
    // The body is checked as the isolate runs it: inside `async function main()`, opened on line 1.
    source = isolateScript(code, "claude");
    insertLine = 0;
    insertColumn = 0;
    inserted = WRAP_PREFIX.length;
  } else {
    // Give `main`'s parameter the Wf type with an inline JSDoc cast on the same line, so every
    // other position in the file is unchanged and only that line's columns need shifting back.
    const plain = isolateScript(code, "main");
    const match = MAIN_PARAM.exec(plain);
    const insertAt = match ? match.index + match[0].length : -1;
    source = insertAt >= 0 ? plain.slice(0, insertAt) + INJECTED + plain.slice(insertAt) : plain;
    insertLine = insertAt >= 0 ? plain.slice(0, insertAt).split("\n").length - 1 : -1;
    insertColumn = insertAt >= 0 ? insertAt - (plain.lastIndexOf("\n", insertAt - 1) + 1) : -1;
    inserted = INJECTED.length;
  }

  const options: TS.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    types: [],
    noResolve: true,
    strict: false,
    skipLibCheck: true,
  };
  const files = new Map<string, string>([
    ["/workflow.js", source],
    ["/wf.d.ts", declarations[dialect]],
  ]);
  const libDir = path.dirname(require.resolve("typescript/lib/lib.d.ts"));
  const host: TS.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      if (fileName === "/workflow.js") return ts.createSourceFile(fileName, source, languageVersion, true);
      // The declarations never change in a process either: kept with the library files, by dialect.
      const own = files.get(fileName);
      if (own !== undefined) {
        const key = `${dialect}:${fileName}`;
        const kept = libFiles.get(key);
        if (kept !== undefined) return kept;
        const file = ts.createSourceFile(fileName, own, languageVersion, true);
        libFiles.set(key, file);
        return file;
      }
      const cached = libFiles.get(fileName);
      if (cached !== undefined) return cached;
      let text: string;
      try {
        text = readFileSync(fileName, "utf8");
      } catch {
        return undefined;
      }
      // Library files never change: parse each once per process.
      const file = ts.createSourceFile(fileName, text, languageVersion, false);
      libFiles.set(fileName, file);
      return file;
    },
    getDefaultLibFileName: () => path.join(libDir, "lib.es2022.d.ts"),
    getDefaultLibLocation: () => libDir,
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getDirectories: () => [],
    fileExists: (f) => files.has(f) || (f.startsWith(libDir) && f.endsWith(".d.ts")),
    readFile: (f) => files.get(f),
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
  };
  // A warm check parses only the workflow: the previous program's library and declaration files are
  // taken over as they are, instead of being gathered again.
  const program = ts.createProgram({ rootNames: ["/wf.d.ts", "/workflow.js"], options, host, ...(last.has(dialect) ? { oldProgram: last.get(dialect) } : {}) });
  last.set(dialect, program);
  const file = program.getSourceFile("/workflow.js");
  if (file === undefined) return [];
  const found = [...program.getSemanticDiagnostics(file), ...program.getSyntacticDiagnostics(file)];
  return found.map((d): Diagnostic => {
    const start = d.start ?? 0;
    const { line, character } = file.getLineAndCharacterOfPosition(start);
    const column = line === insertLine && character >= insertColumn + inserted ? character - inserted : character;
    // TypeScript quotes the code in its messages; hidden characters in it are shown as escapes.
    const message = escapeForDisplay(ts.flattenDiagnosticMessageText(d.messageText, " "));
    const contract = CONTRACT_TYPES.test(message) || CONTRACT_CODES.has(d.code);
    return { line: line + 1, column: column + 1, severity: contract ? "error" : "warning", message: `type: ${message}` };
  });
}
