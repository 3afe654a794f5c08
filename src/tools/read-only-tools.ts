// The tools every sub-agent may have: they look at the workspace and never change it.
import { createGlobTool } from "./glob.js";
import { createGrepTool } from "./grep.js";
import { createListDirTool } from "./list-dir.js";
import { createReadFileTool } from "./read-file.js";
import type { AgentTool } from "./tool.js";
import { createWorkspaceGuard } from "../workspace/workspace-guard.js";

// Creates read_file, list_dir, glob and grep, all confined to the workspace at `root`.
export function createReadOnlyTools(root: string): AgentTool[] {
  const guard = createWorkspaceGuard(root);
  return [createReadFileTool(guard), createListDirTool(guard), createGlobTool(guard), createGrepTool(guard)];
}
