import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces `file` with `text` so that a crash at any moment leaves either the
 * old content or the new one, never a mix:
 * - the text goes to a temp file in the same directory, because rename is
 *   atomic only within one file system;
 * - the temp file is fsynced before the rename, or the rename could reach the
 *   disk before the data and leave an empty file after a power cut;
 * - the directory is fsynced after it, or the rename itself could be lost.
 * The temp name is fixed, so an interrupted write leaves at most one stray
 * file, which the next write overwrites; a failed write removes it. Callers must not write the same file
 * concurrently.
 */
export async function writeFileAtomically(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w', mode);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    // A torn temp file on a full disk holds the very space the next attempt needs.
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await rename(temp, file);
  const directory = await open(path.dirname(file), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}
