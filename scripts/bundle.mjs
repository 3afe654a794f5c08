// The second half of `npm run build`: bundles what tsc wrote to dist/ into dist/bundle/, one file
// per process agentwf starts: the CLI (entry.js), the type-check thread and the sandbox child.
// Start-up loaded about 450 modules one by one (resolving, reading, compiling each); one file
// cuts that CPU by about a quarter. The three keep their names, side by side, so the CLI finds its
// thread and its child next to itself as it does in dist/workflow/, and prompts/ two folders up
// as from anywhere in dist/.
//
// Left outside: the TypeScript compiler (loaded by the type-check thread, from node_modules, where
// the compile cache keeps it) and isolated-vm (a native module). Ink's React devtools hook, which
// Ink loads only when DEV=true, is replaced by a module saying it is not installed (Ink prints its
// own note then), so its websocket client is not bundled. Ink and its helpers get string-width
// through dist/ui/fast-string-width.js (same answers, no grapheme segmentation for narrow text:
// measuring text was most of Ink's layout time with 64 panes; issue 13, benchmark 4), and measure
// text through dist/ui/ink-measure-text.js, whose cache is bounded (Ink's own keeps every text it
// ever measured: every streamed line of a long run).
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";

const outdir = "dist/bundle";
rmSync(outdir, { recursive: true, force: true });

const noDevtools = {
  name: "no-ink-devtools",
  setup(builder) {
    builder.onResolve({ filter: /^\.\/devtools\.js$/ }, (args) => (/[\\/]ink[\\/]build[\\/]/.test(args.importer) ? { path: "ink-devtools", namespace: "agentwf-stub" } : undefined));
    builder.onLoad({ filter: /.*/, namespace: "agentwf-stub" }, () => ({
      contents: 'const error = new Error("react-devtools-core is not part of agentwf"); error.code = "ERR_MODULE_NOT_FOUND"; throw error;',
    }));
  },
};

const fastStringWidth = {
  name: "fast-string-width",
  setup(builder) {
    const shim = path.resolve("dist/ui/fast-string-width.js");
    builder.onResolve({ filter: /^string-width$/ }, (args) =>
      // The shim itself needs the real one; wrap-ansi keeps its own older copy (its answers may differ).
      args.importer === shim || /[\\/]wrap-ansi[\\/]/.test(args.importer) ? undefined : { path: shim },
    );
  },
};

let measureTextReplaced = false;
const boundedMeasureText = {
  name: "bounded-measure-text",
  setup(builder) {
    const shim = path.resolve("dist/ui/ink-measure-text.js");
    builder.onResolve({ filter: /^\.\/measure-text\.js$/ }, (args) => {
      if (!/[\\/]ink[\\/]build[\\/]/.test(args.importer)) return undefined;
      measureTextReplaced = true;
      return { path: shim };
    });
  },
};

await build({
  entryPoints: { entry: "dist/cli/entry.js", "type-check-thread": "dist/workflow/type-check-thread.js", "sandbox-child": "dist/workflow/sandbox-child.js" },
  outdir,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  external: ["typescript", "isolated-vm", "isolated-vm-v6", "isolated-vm-v7"],
  // CommonJS packages inside call require(); an ES module has none of its own.
  banner: { js: 'import { createRequire as __agentwfCreateRequire } from "node:module";\nconst require = __agentwfCreateRequire(import.meta.url);' },
  plugins: [noDevtools, fastStringWidth, boundedMeasureText],
  logLevel: "warning",
  legalComments: "none",
});
// A new Ink that measures text elsewhere would silently bring its unbounded cache back.
if (!measureTextReplaced) throw new Error("scripts/bundle.mjs: Ink no longer imports ./measure-text.js; give its new text measuring a bounded cache");
