import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { ConfigurationError, type FileSource } from '../../application/configuration.error';
import { fileErrorReason } from '../../application/file-error-reason';

/**
 * File access for the key adapters. Every failure is a ConfigurationError
 * about `source`, the option and file as the user gave them (the CLI shows
 * `--key /x/y.pem`, a library `key file /x/y.pem`).
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

/** Writes a file that must not exist yet (`wx`), created with `mode`. */
export async function writeNew(path: string, text: string, mode: number, source: FileSource): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx', mode });
  } catch (error) {
    const reason = isErrorCode(error, 'EEXIST') ? 'already exists; refusing to overwrite' : `cannot write: ${fileErrorReason(error)}`;
    throw ConfigurationError.inFiles([source], reason, { cause: error });
  }
}
