// edit_file: one exact replacement. The old text must occur exactly once, so an edit never lands
// in the wrong place; when it does not, the error says how often it occurs and where, or which
// lines look nearest, so the model can fix its next call.
import { z } from "zod";
import { TOOL_NAMES } from "../config/sandbox-mode.js";
import { WorkspaceReadError, readRegularFile } from "../workspace/regular-file.js";
import { WorkspaceWriteError, resolveWriteTarget, writeWorkspaceFile } from "../workspace/write-workspace-file.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";
import { looksBinary } from "./binary-sniff.js";
import { dotEnvRefusal, isDotEnvFile } from "./dotenv-policy.js";
import { nearestCandidates, occurrenceLines } from "./edit-candidates.js";
import { MAX_WRITE_BYTES } from "./write-file.js";
import { defineTool, type AgentTool } from "./tool.js";

export function createEditFileTool(guard: WorkspaceGuard, access: { readonly allowDotEnv?: boolean } = {}): AgentTool {
  return defineTool({
    name: TOOL_NAMES.editFile,
    description:
      "Replace one exact piece of text in a file of the workspace. old_string must occur exactly once in the file, whitespace included: " +
      "copy it from read_file's output (without the line numbers) and include enough lines around it to make it unique. Not inside .git/.",
    parameters: z.object({
      path: z.string().min(1).describe("file to edit, relative to the workspace root"),
      old_string: z.string().min(1).describe("the exact text to replace; it must occur once"),
      new_string: z.string().describe("the text to put in its place"),
    }),
    summarize: (args) => args.path,
    async execute(args) {
      if (args.old_string === args.new_string) return { ok: false, error: "old_string and new_string are the same; nothing to change" };
      try {
        const target = await resolveWriteTarget(guard, args.path);
        if (target.mode === undefined) return { ok: false, error: `${args.path}: no such file; use write_file to create it` };
        // Its error messages quote the file (nearest lines): an environment file's keys would go to the model.
        if (access.allowDotEnv !== true && (isDotEnvFile(target.real) || isDotEnvFile(args.path))) return { ok: false, error: dotEnvRefusal(args.path) };
        const bytes = await readRegularFile(target.real, target.shown, { maxBytes: MAX_WRITE_BYTES, purpose: "a file edit_file changes" });
        if (looksBinary(bytes.subarray(0, 8192))) return { ok: false, error: `${target.shown} is a binary file; edit_file changes text files only` };
        const content = bytes.toString("utf8");
        // A file that is not UTF-8 would come back with U+FFFD where its bytes were: refuse rather than corrupt it.
        if (!Buffer.from(content, "utf8").equals(bytes)) return { ok: false, error: `${target.shown} is not valid UTF-8; edit_file would change bytes it did not mean to, so it leaves the file alone` };
        const lines = occurrenceLines(content, args.old_string);
        if (lines.length === 0) {
          const near = nearestCandidates(content, args.old_string);
          const hint = near.length > 0 ? `; the nearest lines are:\n${near.join("\n")}` : "; read the file again with read_file and copy the text exactly";
          return { ok: false, error: `old_string does not occur in ${target.shown}${hint}` };
        }
        if (lines.length > 1) {
          return { ok: false, error: `old_string occurs ${lines.length} times in ${target.shown} (starting on lines ${lines.slice(0, 10).join(", ")}); include more surrounding text so it occurs once` };
        }
        const at = content.indexOf(args.old_string);
        const next = content.slice(0, at) + args.new_string + content.slice(at + args.old_string.length);
        await writeWorkspaceFile(guard, target, next);
        const line = lines[0] ?? 1;
        return { ok: true, output: `edited ${target.shown} at line ${line}: ${args.old_string.split("\n").length} line(s) replaced by ${args.new_string.split("\n").length}` };
      } catch (error) {
        if (error instanceof WorkspaceWriteError || error instanceof WorkspaceReadError) return { ok: false, error: error.message };
        throw error;
      }
    },
  });
}
