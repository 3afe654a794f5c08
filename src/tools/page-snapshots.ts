// The pages of one listing come from one snapshot. glob and grep find their whole result before
// showing a page, so without this, every "call again with offset B" walked the tree (and grep
// read every file) again: paging through N pages cost N walks. A cut result is kept under its
// query (the call's arguments without the offset); a call with offset > 0 for the same query
// pages on from it, so the pages also agree on the total. A call at offset 0 always looks afresh
// (at the tree itself, or at the tool box's kept walk, which walk-cache.ts checks against the folders)
// and replaces the snapshot, so a model that changed files and asks again sees the change; a
// snapshot also lapses after a minute, and only the last few are kept. A write through the tool box
// (edit_file, write_file, a bash command that can write: workspace-changes.ts) drops every snapshot,
// so a later page never shows files as they were before the model changed them.
import { NO_CHANGES, type WorkspaceChanges } from "./workspace-changes.js";

export interface PageSnapshots<T> {
  /** The snapshot to page on from, for a call at `offset` > 0; undefined at offset 0 or when there is none. */
  pageOn(query: string, offset: number): T | undefined;
  /** Keeps the complete result of a call whose output was cut; `version` is the changes' count from before it was found. */
  keep(query: string, value: T, version: number): void;
  /** The count of writes now: take it before finding a result to keep. */
  version(): number;
}

export interface SnapshotOptions {
  readonly maxEntries: number;
  readonly maxAgeMs: number;
  readonly now: () => number;
  /** The tool box's writes: a snapshot made before one is not paged on. */
  readonly changes: WorkspaceChanges;
}

export const DEFAULT_SNAPSHOT_OPTIONS: SnapshotOptions = { maxEntries: 8, maxAgeMs: 60_000, now: Date.now, changes: NO_CHANGES };

export function createPageSnapshots<T>(options: Partial<SnapshotOptions> = {}): PageSnapshots<T> {
  const { maxEntries, maxAgeMs, now, changes } = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options };
  // A Map iterates in insertion order: the first key is the least recently kept or used.
  const entries = new Map<string, { value: T; at: number }>();
  let seenVersion = changes.version();
  return {
    version: () => changes.version(),
    pageOn(query, offset) {
      if (offset === 0) return undefined;
      if (changes.version() !== seenVersion) {
        entries.clear();
        seenVersion = changes.version();
        return undefined;
      }
      const entry = entries.get(query);
      if (entry === undefined) return undefined;
      if (now() - entry.at > maxAgeMs) {
        entries.delete(query);
        return undefined;
      }
      entries.delete(query);
      entries.set(query, entry);
      return entry.value;
    },
    keep(query, value, version) {
      // A result found while a write went on is not kept: it may hold some of both states.
      if (version !== changes.version()) return;
      if (version !== seenVersion) {
        entries.clear();
        seenVersion = version;
      }
      entries.delete(query);
      entries.set(query, { value, at: now() });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
  };
}
