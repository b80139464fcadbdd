import { readFileSync } from 'node:fs';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { ConfigurationError, FileFailure, type FileSource } from '../../application/configuration.error';
import { fileErrorReason } from '../../application/file-error-reason';

/**
 * File access for the key adapters. Every failure is a ConfigurationError
 * about `source`, the option and file as the user gave them (the CLI shows
 * `--key /x/y.pem`, a library `key file /x/y.pem`); only a full or read-only
 * disk is a FileFailure (exit 1).
 */

export function isErrorCode(error: unknown, code: string): boolean {
  return (error as { code?: unknown } | undefined)?.code === code;
}

export async function readText(path: string, source: FileSource): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw ConfigurationError.inFiles([source], `cannot read: ${fileErrorReason(error)}`, { cause: error });
  }
}

export function readTextSync(path: string, source: FileSource): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw ConfigurationError.inFiles([source], `cannot read: ${fileErrorReason(error)}`, { cause: error });
  }
}

/**
 * Writes a file that must not exist yet (`wx`), created with `mode`. A write
 * that fails after creating the file (a full disk) removes it, so that no
 * torn key is left to be refused on the next start.
 */
export async function writeNew(path: string, text: string, mode: number, source: FileSource): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx', mode });
  } catch (error) {
    if (isErrorCode(error, 'EEXIST')) throw ConfigurationError.inFiles([source], 'already exists; refusing to overwrite', { cause: error });
    await unlink(path).catch(() => undefined);
    const problem = `cannot write: ${fileErrorReason(error)}`;
    // A disk that is full or read-only is a runtime failure (exit 1), not a wrong option (exit 2).
    throw DISK_FAILURES.has((error as { code?: string }).code ?? '') ? new FileFailure([source], problem, { cause: error }) : ConfigurationError.inFiles([source], problem, { cause: error });
  }
}

const DISK_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);
