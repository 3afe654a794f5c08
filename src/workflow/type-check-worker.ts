// Runs the type check in a worker thread. Loading the TypeScript compiler and checking the first
// workflow takes about a second of CPU; on the main thread that froze the live UI (its clock
// stopped). `startTypeChecker` is called when run, exec and check launch, so the compiler loads in
// parallel with the rest of start-up and is warm when the first workflow arrives.
import { existsSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { z } from "zod";
import { DEFAULT_LIMITS } from "../config/limits.js";
import type { Dialect } from "./dialect.js";
import { createTypeCheckCache, type TypeCheckCache } from "./type-check-cache.js";

export { typeCheckCacheDir } from "./type-check-cache.js";
import { typeCheckWorkflow } from "./type-check.js";
import type { Diagnostic, TypeCheck } from "./validate.js";

const ReplySchema = z.discriminatedUnion("ok", [
  z.object({
    id: z.number(),
    ok: z.literal(true),
    diagnostics: z.array(z.object({ line: z.number(), column: z.number(), severity: z.enum(["error", "warning"]), message: z.string() })),
  }),
  z.object({ id: z.number(), ok: z.literal(false), error: z.string() }),
]);

interface Pending {
  readonly code: string;
  readonly dialect: Dialect;
  resolve(diagnostics: Diagnostic[]): void;
}

// The thread runs from the built JavaScript; under the test runner, from the TypeScript source
// through tsx (as the sandbox child does).
function threadEntry(): { url: URL; execArgv: string[] } {
  const js = new URL("./type-check-thread.js", import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js, execArgv: [] };
  return { url: new URL("./type-check-thread.ts", import.meta.url), execArgv: ["--import", "tsx"] };
}

class WorkerTypeChecker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(first?: string) {
    try {
      const { url, execArgv } = threadEntry();
      const workerData = { compileCacheDir: module.getCompileCacheDir?.(), ...(first !== undefined ? { first: { code: first } } : {}) };
      const worker = new Worker(url, { execArgv, workerData });
      // An idle checker must not keep the process alive; a pending check does (see `check`).
      worker.unref();
      worker.on("message", (raw: unknown) => this.answer(raw));
      worker.on("error", () => this.fallBack());
      worker.on("exit", () => this.fallBack());
      this.worker = worker;
    } catch {
      this.worker = undefined;
    }
  }

  /** Ends the thread unless a check is pending; true when it ended. */
  stop(): boolean {
    if (this.pending.size > 0 || this.worker === undefined) return false;
    const worker = this.worker;
    this.worker = undefined;
    worker.removeAllListeners("exit");
    worker.removeAllListeners("error");
    void worker.terminate();
    return true;
  }

  check(code: string, dialect: Dialect): Promise<Diagnostic[]> {
    const worker = this.worker;
    if (worker === undefined) return Promise.resolve(typeCheckWorkflow(code, dialect));
    const id = (this.nextId += 1);
    return new Promise((resolve) => {
      this.pending.set(id, { code, dialect, resolve });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, code, dialect });
    });
  }

  private answer(raw: unknown): void {
    const reply = ReplySchema.safeParse(raw);
    if (!reply.success) return;
    const pending = this.pending.get(reply.data.id);
    if (pending === undefined) return;
    this.settle(reply.data.id);
    // A checker that threw is the checker's fault, not the workflow's: check on this thread.
    pending.resolve(reply.data.ok ? reply.data.diagnostics : typeCheckWorkflow(pending.code, pending.dialect));
  }

  private settle(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** The thread is gone (it failed to load, or died): what was asked of it is checked here. */
  private fallBack(): void {
    this.worker = undefined;
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const pending of left) pending.resolve(typeCheckWorkflow(pending.code, pending.dialect));
  }
}

let checker: WorkerTypeChecker | undefined;
let cache: TypeCheckCache | undefined;

/**
 * Keeps type-check results in `dir` (the person's cache directory, never the workspace): a check
 * of code checked before answers from there, and the compiler is not loaded for it.
 */
export function useTypeCheckCache(dir: string): void {
  cache = createTypeCheckCache(dir);
}

/**
 * Starts the type-check thread once per process; later calls return the same one. `first`: code
 * about to be validated (exec's file), which the thread checks first instead of its warm-up.
 */
export function startTypeChecker(first?: string): void {
  checker ??= new WorkerTypeChecker(first);
}

/**
 * Starts the type-check thread unless `source` (a workflow file's text, read at launch) was checked
 * before as it stands: then its check answers from the cache and the compiler need not load. Only a
 * guess at start-up: validation looks the code up again after intake, and checks it on a miss.
 */
export async function startTypeCheckerUnlessCached(source: Promise<string | undefined>): Promise<void> {
  const code = await source.catch(() => undefined);
  if (code !== undefined && cache !== undefined && (cache.read(code, "main") !== undefined || cache.read(code, "claude") !== undefined)) return;
  // Code over the size limit is refused by validation without a type check: not worth checking now.
  startTypeChecker(code !== undefined && Buffer.byteLength(code, "utf8") <= DEFAULT_LIMITS.maxCodeBytes ? code : undefined);
}

/**
 * Ends the type-check thread while nothing needs it: the compiler and its library files hold about
 * 90 MB, which a running workflow's sub-agents can use instead. The next check starts it again.
 */
export function stopTypeChecker(): void {
  if (checker?.stop() === true) checker = undefined;
}

/** Type-checks in the worker thread, starting it if nothing has yet; from the cache when it can. */
export const typeCheckInWorker: TypeCheck = async (code, dialect) => {
  const cached = cache?.read(code, dialect);
  if (cached !== undefined) return cached;
  startTypeChecker();
  const diagnostics = await (checker as WorkerTypeChecker).check(code, dialect);
  cache?.write(code, dialect, diagnostics);
  return diagnostics;
};
