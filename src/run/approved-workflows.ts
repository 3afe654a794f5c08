// Approvals of saved workflows, remembered by the sha256 of the file's content, in the person's own
// state directory (never in the workspace, which a repository could ship pre-filled). A changed
// file has another hash and is asked about again.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { ApprovalDecision, ApprovalPort } from "./approval.js";

const FILE_NAME = "approved-workflows.json";
const MAX_ENTRIES = 1000;

const ApprovalsSchema = z.object({
  version: z.literal(1),
  approvals: z.array(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), name: z.string(), approvedAt: z.string() })),
});
type Approvals = z.infer<typeof ApprovalsSchema>;

export interface ApprovalMemory {
  has(sha256: string): Promise<boolean>;
  remember(sha256: string, name: string): Promise<void>;
}

/** The memory kept in `<stateHome>/approved-workflows.json`; `now` stamps each approval. */
export function approvalMemory(stateHome: string, now: () => Date = () => new Date()): ApprovalMemory {
  const file = path.join(stateHome, FILE_NAME);
  const load = async (): Promise<Approvals> => {
    try {
      const parsed = ApprovalsSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
      // A file that does not read is treated as no approvals: the worst case is one more question.
      return parsed.success ? parsed.data : { version: 1, approvals: [] };
    } catch {
      return { version: 1, approvals: [] };
    }
  };
  return {
    async has(sha256) {
      return (await load()).approvals.some((a) => a.sha256 === sha256);
    },
    async remember(sha256, name) {
      const current = await load();
      const approvals = [...current.approvals.filter((a) => a.sha256 !== sha256), { sha256, name, approvedAt: now().toISOString() }].slice(-MAX_ENTRIES);
      await mkdir(stateHome, { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify({ version: 1, approvals }, null, 2)}\n`, { mode: 0o600 });
      await rename(temp, file);
    },
  };
}

/**
 * Approval for one saved workflow: runs at once when this exact content was approved before;
 * otherwise asks `inner`, and remembers an approval of the unedited file.
 */
export function rememberedApproval(inner: ApprovalPort, memory: ApprovalMemory, saved: { readonly sha256: string; readonly name: string }, onRemembered?: () => void): ApprovalPort {
  return {
    async ask(proposal, signal): Promise<ApprovalDecision> {
      if (await memory.has(saved.sha256)) {
        onRemembered?.();
        return { type: "approve" };
      }
      const decision = await inner.ask(proposal, signal);
      if (decision.type === "approve" && decision.code === undefined) await memory.remember(saved.sha256, saved.name).catch(() => undefined);
      return decision;
    },
  };
}
