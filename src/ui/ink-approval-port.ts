// The approval port behind the Ink app: `ask` puts the proposal on screen and resolves with what
// the person decides there. It also runs the screen's actions: validating an edit, saving a copy.
import type { ApprovalDecision, ApprovalPort, WorkflowProposal } from "../run/approval.js";
import type { ApprovalActions, SaveOutcome } from "./approval-actions.js";
import type { ApprovalSession, UiStore } from "./ui-store.js";

type Diagnostic = WorkflowProposal["warnings"][number];

export interface ValidationLike {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export type EditOutcome = { readonly ok: true; readonly code: string } | { readonly ok: false; readonly error: string };

export type SaveResult = { readonly outcome: "saved"; readonly path: string } | { readonly outcome: "exists" } | { readonly outcome: "failed"; readonly error: string };

export interface InkApprovalOptions {
  readonly store: UiStore;
  /**
   * The same validation the parent's code went through (workflow/validate), injected by the CLI.
   * Asynchronous: the type check runs in a worker thread, so the screen keeps drawing meanwhile.
   */
  readonly validate: (code: string) => Promise<ValidationLike>;
  /** Opens the code in the person's editor and returns what they saved. */
  readonly editCode: (code: string, name: string) => Promise<EditOutcome>;
  readonly saveCode: (path: string, code: string, overwrite: boolean) => Promise<SaveResult>;
  readonly now?: () => number;
}

export interface InkApproval {
  readonly port: ApprovalPort;
  readonly actions: ApprovalActions;
}

const describe = (d: Diagnostic) => `${d.line}:${d.column} ${d.message}`;

/** Creates the port and the actions of the approval screen. */
export function createInkApproval(options: InkApprovalOptions): InkApproval {
  const { store } = options;
  let current: { session: ApprovalSession; resolve: (decision: ApprovalDecision) => void; cleanup: () => void } | undefined;
  let lastRejected: { workflowId: string; code: string } | undefined;
  let editing = false;
  // Set while an edited version is being checked: approving waits for the verdict.
  let checking = false;

  const update = (change: (session: ApprovalSession) => ApprovalSession) => {
    if (current === undefined) return;
    current.session = change(current.session);
    store.setApproval(current.session);
  };
  const decide = (decision: ApprovalDecision) => {
    const pending = current;
    if (pending === undefined) return;
    current = undefined;
    pending.cleanup();
    if (decision.type === "reject") lastRejected = { workflowId: pending.session.proposal.workflowId, code: pending.session.proposal.code };
    store.setApproval(undefined);
    pending.resolve(decision);
  };

  const port: ApprovalPort = {
    confirmsOverThreshold: true,
    ask(proposal, signal) {
      if (signal.aborted) return Promise.resolve({ type: "stop", reason: "stopped at approval" });
      return new Promise((resolve) => {
        const onAbort = () => decide({ type: "stop", reason: "stopped at approval" });
        signal.addEventListener("abort", onAbort, { once: true });
        current = {
          session: {
            proposal,
            code: proposal.code,
            edited: false,
            previous: lastRejected,
            warnings: proposal.warnings.map(describe),
            problems: [],
            notice: undefined,
            revision: 0,
            shownAt: (options.now ?? Date.now)(),
          },
          resolve,
          cleanup: () => signal.removeEventListener("abort", onAbort),
        };
        store.setApproval(current.session);
      });
    },
  };

  const actions: ApprovalActions = {
    approve() {
      const session = current?.session;
      if (session === undefined) return;
      if (checking) {
        update((s) => ({ ...s, notice: { tone: "error", text: "the edited code is still being checked; approve again once it is" } }));
        return;
      }
      if (session.problems.length > 0) {
        update((s) => ({ ...s, notice: { tone: "error", text: "the edited code has errors: press e to fix them, r to reject, or q to stop" } }));
        return;
      }
      // Past --confirm-over the person approves twice, the second time knowing the size.
      if (session.proposal.overThreshold !== undefined && session.overArmed !== true) {
        update((s) => ({ ...s, overArmed: true, notice: { tone: "error", text: `${session.proposal.overThreshold}: press a again to run it anyway` } }));
        return;
      }
      decide(session.edited ? { type: "approve", code: session.code } : { type: "approve" });
    },
    reject(reason) {
      decide({ type: "reject", reason: reason === "" ? "the person rejected it without a reason" : reason });
    },
    stop() {
      decide({ type: "stop", reason: "stopped at approval" });
    },
    edit() {
      const pending = current;
      if (pending === undefined || editing) return;
      editing = true;
      void options
        .editCode(pending.session.code, pending.session.proposal.name)
        .catch((error: unknown): EditOutcome => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
        .then(async (outcome) => {
          editing = false;
          // The run may have been stopped while the editor was open.
          if (current !== pending) return;
          if (!outcome.ok) {
            update((s) => ({ ...s, notice: { tone: "error", text: `${outcome.error}; the code is unchanged` } }));
            return;
          }
          if (outcome.code === pending.session.code) {
            update((s) => ({ ...s, notice: { tone: "ok", text: "no changes" } }));
            return;
          }
          const edited = outcome.code !== pending.session.proposal.code;
          let validation: ValidationLike = { ok: true, diagnostics: pending.session.proposal.warnings };
          if (edited) {
            checking = true;
            update((s) => ({ ...s, notice: { tone: "ok", text: "checking the edited code…" } }));
            validation = await options
              .validate(outcome.code)
              .catch((error: unknown): ValidationLike => ({
                ok: false,
                diagnostics: [{ line: 1, column: 1, severity: "error", message: `could not be checked: ${error instanceof Error ? error.message : String(error)}` }],
              }))
              .finally(() => {
                checking = false;
              });
            if (current !== pending) return;
          }
          update((s) => ({
            ...s,
            code: outcome.code,
            edited,
            problems: validation.diagnostics.filter((d) => d.severity === "error").map(describe),
            warnings: validation.diagnostics.filter((d) => d.severity === "warning").map(describe),
            notice: validation.ok
              ? { tone: "ok", text: edited ? "edited: this version runs if you approve it, and the agent is told" : "back to the agent's version" }
              : { tone: "error", text: "the edited code does not validate; approve is blocked until it does" },
            revision: s.revision + 1,
          }));
        });
    },
    async save(path, overwrite): Promise<SaveOutcome> {
      const session = current?.session;
      if (session === undefined) return "failed";
      const result = await options.saveCode(path, session.code, overwrite);
      if (result.outcome === "saved") update((s) => ({ ...s, notice: { tone: "ok", text: `saved to ${result.path}` } }));
      else if (result.outcome === "failed") update((s) => ({ ...s, notice: { tone: "error", text: `could not save: ${result.error}` } }));
      return result.outcome;
    },
  };

  return { port, actions };
}
