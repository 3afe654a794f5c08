// One walk of a tree serves the glob and grep calls that follow it. A model (the demo, or any agent
// exploring a large repository) asks glob for manifests over the whole tree, then glob for sources
// folder by folder, then grep over hundreds of test folders: without this, each call walked its part
// of the tree again (three walks of a 100k-file tree, and a walk per grep). A kept listing is used
// for a later call at or below where it started, only when
//   - no write went through the tool box since (workspace-changes.ts),
//   - it is younger than maxAgeMs, and
//   - every directory it entered under the call's start still has the modification time it had
//     when it was listed (a file added, removed or renamed there by anyone moves it on),
// and otherwise the call walks afresh. The listing is the walk's own result (walk-workspace.ts: the
// same .gitignore rules, links, depth limit), so what it may hold is exactly what a fresh walk may;
// files are still opened through the guarded reader when read.
import { statSync } from "node:fs";
import path from "node:path";
import { compareCodePoints } from "./sort-paths.js";
import { walkFiles, type WalkOptions, type WalkRecord, type WalkResult } from "./walk-workspace.js";
import type { WorkspaceChanges } from "./workspace-changes.js";

export type Walk = (options: WalkOptions) => Promise<WalkResult>;

export interface WalkCacheOptions {
  readonly changes: WorkspaceChanges;
  readonly maxAgeMs: number;
  /** Listings kept at most (the most recent). */
  readonly maxListings: number;
  readonly now: () => number;
}

export const DEFAULT_WALK_CACHE_OPTIONS: Omit<WalkCacheOptions, "changes"> = { maxAgeMs: 30_000, maxListings: 4, now: Date.now };

interface Listing {
  readonly start: string;
  /** Every file the walk kept, sorted by code point. */
  readonly files: readonly string[];
  /** Directories entered, sorted by path. */
  readonly entered: ReadonlyArray<{ readonly path: string; readonly mtimeMs: number }>;
  readonly tooDeep: readonly string[];
  readonly version: number;
  readonly at: number;
}

/** The index of the first entry of `sorted` not before `key`. */
function lowerBound<T>(sorted: readonly T[], key: string, keyOf: (item: T) => string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareCodePoints(keyOf(sorted[middle] as T), key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The entries of `sorted` that are `start` or lie below it (a sorted list keeps them together). */
function under<T>(sorted: readonly T[], start: string, keyOf: (item: T) => string, withStart: boolean): T[] {
  const prefix = `${start}${path.sep}`;
  const out: T[] = [];
  const from = lowerBound(sorted, withStart ? start : prefix, keyOf);
  for (let index = from; index < sorted.length; index += 1) {
    const key = keyOf(sorted[index] as T);
    if (key === start && withStart) out.push(sorted[index] as T);
    else if (key.startsWith(prefix)) out.push(sorted[index] as T);
    else if (compareCodePoints(key, prefix) > 0) break;
  }
  return out;
}

const itself = (text: string): string => text;
const pathOf = (entry: { readonly path: string }): string => entry.path;

function unchanged(entries: ReadonlyArray<{ readonly path: string; readonly mtimeMs: number }>): boolean {
  for (const entry of entries) {
    const now = statSync(entry.path, { throwIfNoEntry: false });
    if (now === undefined || now.mtimeMs !== entry.mtimeMs) return false;
  }
  return true;
}

function toSlashes(relative: string): string {
  return path.sep === "/" ? relative : relative.split(path.sep).join("/");
}

/** A walk (walk-workspace.ts's walkFiles) that keeps its listings for the calls after it. */
export function createWalkCache(options: Partial<WalkCacheOptions> & Pick<WalkCacheOptions, "changes">): Walk {
  const { changes, maxAgeMs, maxListings, now } = { ...DEFAULT_WALK_CACHE_OPTIONS, ...options };
  // Most recent last.
  let listings: Listing[] = [];

  const find = (start: string): { listing: Listing; entered: Listing["entered"] } | undefined => {
    const version = changes.version();
    const time = now();
    listings = listings.filter((listing) => listing.version === version && time - listing.at <= maxAgeMs);
    for (let index = listings.length - 1; index >= 0; index -= 1) {
      const listing = listings[index] as Listing;
      if (start !== listing.start && !start.startsWith(`${listing.start}${path.sep}`)) continue;
      const entered = under(listing.entered, start, pathOf, true);
      // The walk did not enter it (ignored, too deep, behind a link): only a walk of its own says what is there.
      if (entered[0]?.path !== start) continue;
      if (unchanged(entered)) return { listing, entered };
      listings.splice(index, 1);
    }
    return undefined;
  };

  const walkAndKeep = async (walkOptions: WalkOptions): Promise<Listing> => {
    const version = changes.version();
    const record: WalkRecord = { entered: [], tooDeep: [] };
    const { accept: _everything, ...rest } = walkOptions;
    const walked = await walkFiles({ ...rest, record });
    const listing: Listing = {
      start: walkOptions.start,
      files: walked.files.sort(compareCodePoints),
      entered: record.entered.sort((a, b) => compareCodePoints(a.path, b.path)),
      tooDeep: record.tooDeep.sort(compareCodePoints),
      version,
      at: now(),
    };
    // A listing made while a write went on may hold some of both states: used once, not kept.
    if (version === changes.version()) {
      listings.push(listing);
      if (listings.length > maxListings) listings = listings.slice(-maxListings);
    }
    return listing;
  };

  return async (walkOptions) => {
    // A walk limited in depth ("*.md" at the root) reads a directory or a few: cheaper than keeping it.
    if (walkOptions.maxDepth !== undefined || walkOptions.record !== undefined) return walkFiles(walkOptions);
    const { start, accept } = walkOptions;
    const listing = find(start)?.listing ?? (await walkAndKeep(walkOptions));
    const inside = start === listing.start ? listing.files : under(listing.files, start, itself, false);
    const prefixLength = start.length + 1;
    const files = accept === undefined ? [...inside] : inside.filter((file) => accept(toSlashes(file.slice(prefixLength))));
    const tooDeep = start === listing.start ? listing.tooDeep.length : under(listing.tooDeep, start, itself, false).length;
    return { files, tooDeep };
  };
}
