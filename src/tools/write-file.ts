// write_file: the whole content of one file, new or replaced, through the guarded writer.
import { z } from "zod";
import { TOOL_NAMES } from "../config/sandbox-mode.js";
import { WorkspaceWriteError, resolveWriteTarget, writeWorkspaceFile } from "../workspace/write-workspace-file.js";
import type { WorkspaceGuard } from "../workspace/workspace-guard.js";
import { defineTool, type AgentTool } from "./tool.js";

export const MAX_WRITE_BYTES = 5 * 1024 * 1024;

export function createWriteFileTool(guard: WorkspaceGuard): AgentTool {
  return defineTool({
    name: TOOL_NAMES.writeFile,
    description: `Write a whole file in the workspace (created with its folders, or replaced). Not inside .git/. At most ${MAX_WRITE_BYTES} bytes. To change part of a file, use edit_file.`,
    parameters: z.object({
      path: z.string().min(1).describe("file to write, relative to the workspace root"),
      content: z.string().describe("the file's complete new content"),
    }),
    summarize: (args) => args.path,
    async execute(args) {
      const bytes = Buffer.byteLength(args.content, "utf8");
      if (bytes > MAX_WRITE_BYTES) return { ok: false, error: `the content is ${bytes} bytes, over the ${MAX_WRITE_BYTES}-byte limit; write a smaller file` };
      try {
        const target = await resolveWriteTarget(guard, args.path);
        await writeWorkspaceFile(guard, target, args.content);
        return { ok: true, output: `${target.mode === undefined ? "created" : "replaced"} ${target.shown} (${bytes} bytes)` };
      } catch (error) {
        if (error instanceof WorkspaceWriteError) return { ok: false, error: error.message };
        throw error;
      }
    },
  });
}
