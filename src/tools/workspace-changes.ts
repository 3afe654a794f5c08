// A count of the tool box's own writes to the workspace. What the read tools keep between calls (a
// listing for the next glob, the pages of a cut result) remembers the count it was made at and is
// not used once the count has moved: after edit_file, write_file or a bash command that could write,
// a later page or a shared listing never shows the workspace as it was before.

export interface WorkspaceChanges {
  /** Moves on with every write; equal counts mean no write through the tool box in between. */
  version(): number;
  /** Says that the workspace may have changed. */
  changed(): void;
}

export function createWorkspaceChanges(): WorkspaceChanges {
  let count = 0;
  return {
    version: () => count,
    changed() {
      count += 1;
    },
  };
}

/** For tools used on their own (tests, the read-only set): nothing ever says the workspace changed. */
export const NO_CHANGES: WorkspaceChanges = { version: () => 0, changed: () => undefined };
