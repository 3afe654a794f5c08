// What the approval screen can ask for. The screen only reports keys; the controller behind this
// interface decides, validates, saves and runs the editor.

export type SaveOutcome = "saved" | "exists" | "failed";

export interface ApprovalActions {
  approve(): void;
  reject(reason: string): void;
  /** Stops the whole run (exit 3). */
  stop(): void;
  /** Opens the code in the person's editor; the session shows the result. */
  edit(): void;
  /** Writes the current code to `path`; "exists" when it is there and `overwrite` is false. */
  save(path: string, overwrite: boolean): Promise<SaveOutcome>;
}
