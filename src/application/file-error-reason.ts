/**
 * `ENOENT: no such file or directory` from a node:fs error, without the
 * system call and the path it repeats (the caller names the file itself).
 */
export function fileErrorReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message.replace(/, \w+(?: '.*')?$/s, '');
}
