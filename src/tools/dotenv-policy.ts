// `.env`, `.env.local`, `.env.production`…: where projects keep their keys. What a tool reads goes
// to the model's server, so these files are read only when the person allows it (config key
// `tools.readDotEnv`); a repository cannot allow it for itself.
import path from "node:path";

export function isDotEnvFile(file: string): boolean {
  const name = path.basename(file);
  return name === ".env" || name.startsWith(".env.") || name === ".envrc";
}

export function dotEnvRefusal(shown: string): string {
  return `"${shown}" is an environment file (it usually holds keys) and is not read; the person can allow it with "tools": { "readDotEnv": true } in their own agentwf config`;
}
