// Loads isolated-vm for the Node line we run on. The package ships prebuilt binaries per Node ABI
// and no single version covers every supported line: 6.2.0 carries Node 22 and 24, 7.0.1 carries
// 24 and 26. Both are optional dependencies under aliases; npm skips or drops the one that does
// not fit this Node (so nobody needs a C++ compiler where a prebuilt binary exists), and this
// module takes whichever installed, newest first. The types come from either through the
// `paths` fallback in tsconfig.json.
import { createRequire } from "node:module";
import type ivmModule from "isolated-vm";

type IsolatedVm = typeof ivmModule;

const CANDIDATES = ["isolated-vm-v7", "isolated-vm-v6"] as const;

/** Loads the isolated-vm build that fits this Node, or throws one line that says what to do. */
export function loadIsolatedVm(): IsolatedVm {
  const require = createRequire(import.meta.url);
  const failures: string[] = [];
  for (const name of CANDIDATES) {
    try {
      return require(name) as IsolatedVm;
    } catch (error) {
      const message = error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error);
      if (!message.startsWith(`Cannot find module '${name}'`)) failures.push(`${name}: ${message}`);
    }
  }
  const why = failures.length > 0 ? ` (${failures.join("; ")})` : "";
  throw new Error(
    `isolated-vm is not installed for Node ${process.versions.node}${why}: agentwf supports Node 22, 24 and 26; ` +
      "run `npm install` again with one of those",
  );
}

/** The isolated-vm module; loaded on first use so that merely importing this file never throws. */
let cached: IsolatedVm | undefined;
export function isolatedVm(): IsolatedVm {
  cached ??= loadIsolatedVm();
  return cached;
}
