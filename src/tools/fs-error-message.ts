// Node's fs errors read like "ENOENT: no such file or directory, open '/abs/path'": they leak
// absolute paths and say nothing about what the model can do next. These sentences do.

// Turns an fs error about `shown` (the path as the model wrote it) into an actionable message.
export function describeFsError(error: unknown, shown: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return `"${shown}" does not exist; check the name with list_dir or glob`;
    case "ENOTDIR":
      return `"${shown}" goes through a file as if it were a directory; check the path with list_dir`;
    case "EACCES":
    case "EPERM":
      return `"${shown}" cannot be read (permission denied); try another file`;
    case "EISDIR":
      return `"${shown}" is a directory; use list_dir to see its entries`;
    default:
      return `"${shown}" cannot be read (${error instanceof Error ? error.message : String(error)})`;
  }
}
