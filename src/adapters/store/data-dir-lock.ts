import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
// Our own pid, and signal 0 to probe another's: a pid lock needs both. Nothing here exits or installs a handler.
import { kill, pid as ownPid } from 'node:process';
import { ConfigurationError, FileFailure, type FileSource } from '../../application/configuration.error';
import { fileErrorReason } from '../../application/file-error-reason';

export const LOCK_FILE_NAME = 'lock';

/** Another process holds the data dir, or the lock cannot be taken (exit 1). One line naming the dir. */
export class DataDirLockError extends FileFailure {
  override readonly name = 'DataDirLockError';
}

/** How long a lock file may stay empty (created, its pid not yet written) before it counts as abandoned. */
const EMPTY_LOCK_GRACE_MS = 1_000;
const EMPTY_LOCK_POLL_MS = 20;
/** Each pass either takes the lock, meets a live holder, or clears an abandoned lock: a few passes suffice. */
const MAX_ATTEMPTS = 5;

/**
 * Lock files held by this process (a lock is a process's, so this is process-wide on purpose): a lock
 * naming our own pid that we do not hold was left by an earlier process that had our pid (a container's pid 1).
 */
const heldHere = new Set<string>();

/**
 * An exclusive lock on a data dir, so that two processes never run as one
 * identity on one store: a file `lock` holding the holder's pid, created with
 * O_EXCL, so that of two simultaneous starts exactly one wins. A lock whose
 * pid is no longer running is taken over. Take it before anything in the
 * data dir is read or created (the node's key pair), release it after the
 * last write. A pid reused by an unrelated process makes the lock look held:
 * the message names the pid, so the user can check and remove the file.
 */
export class DataDirLock {
  private readonly directory: string;
  private readonly file: string;
  /** The dir as the user named it, for errors (`--data-dir /d` on the command line). */
  private readonly source: FileSource;
  private heldByUs = false;

  constructor(dataDir: string) {
    this.directory = path.resolve(dataDir);
    this.file = path.join(this.directory, LOCK_FILE_NAME);
    this.source = { option: 'dataDir', path: dataDir };
  }

  /** Rejects with a DataDirLockError naming the dir and the holder's pid if another process holds it. */
  async acquire(): Promise<void> {
    if (this.heldByUs) return;
    try {
      await mkdir(this.directory, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw ConfigurationError.inFiles([this.source], `cannot create: ${fileErrorReason(error)}`, { cause: error });
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      if (await this.tryCreate()) {
        this.heldByUs = true;
        heldHere.add(this.file);
        return;
      }
      const holder = await this.readHolder();
      if (holder === 'gone') continue;
      if (holder !== 'abandoned' && isRunning(holder) && !(holder === ownPid && !heldHere.has(this.file))) {
        throw new DataDirLockError(
          [this.source],
          holder === ownPid
            ? 'in use by another node of this process'
            : `in use by another p2p-gossip process (pid ${holder}); stop it, or remove ${this.file} if that pid is not a p2p-gossip node`,
        );
      }
      await this.removeStale(holder);
    }
    throw new DataDirLockError([this.source], `cannot take the lock ${this.file}: it keeps changing`);
  }

  /** Removes the lock if it is still ours; never rejects (a read-only disk keeps a stale lock, taken over next time). */
  async release(): Promise<void> {
    if (!this.heldByUs) return;
    this.heldByUs = false;
    heldHere.delete(this.file);
    try {
      if ((await readFile(this.file, 'utf8')).trim() === String(ownPid)) await unlink(this.file);
    } catch {
      // Gone already, or the disk refuses: a lock naming a dead pid is taken over by the next start.
    }
  }

  /** True if we created the lock file; false if it exists. */
  private async tryCreate(): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw this.cannotLock(error);
    }
    try {
      await handle.writeFile(`${ownPid}\n`, 'utf8');
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(this.file).catch(() => undefined);
      throw this.cannotLock(error);
    }
    await handle.close();
    return true;
  }

  /** The holder's pid; `abandoned` if the file stays without one; `gone` if it vanished meanwhile. */
  private async readHolder(): Promise<number | 'abandoned' | 'gone'> {
    const deadline = Date.now() + EMPTY_LOCK_GRACE_MS;
    for (;;) {
      let text: string;
      try {
        text = await readFile(this.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
        throw this.cannotLock(error);
      }
      const pid = /^\s*(\d+)\s*$/.exec(text)?.[1];
      if (pid !== undefined) return Number(pid);
      // Between O_EXCL and the write of the pid, the file is empty for a moment.
      if (text.trim() !== '' || Date.now() >= deadline) return 'abandoned';
      await new Promise((resolve) => setTimeout(resolve, EMPTY_LOCK_POLL_MS));
    }
  }

  /**
   * Moves the stale lock aside under a name of our own, then checks that what
   * was moved is the stale lock we read; a lock taken by another process in
   * the meantime is put back. Only then is it deleted.
   */
  private async removeStale(holder: number | 'abandoned'): Promise<void> {
    const aside = `${this.file}.${ownPid}.stale`;
    try {
      await rename(this.file, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw this.cannotLock(error);
    }
    const moved = (await readFile(aside, 'utf8').catch(() => '')).trim();
    const wasStale = holder === 'abandoned' ? !/^\d+$/.test(moved) : moved === String(holder);
    if (!wasStale) {
      // Another process took the lock between our read and our rename: give it back (unless a third one holds it now).
      await rename(aside, this.file).catch(() => undefined);
      return;
    }
    await unlink(aside).catch(() => undefined);
  }

  private cannotLock(error: unknown): DataDirLockError {
    return new DataDirLockError([this.source], `cannot take the lock ${this.file}: ${fileErrorReason(error)}`, { cause: error });
  }
}

/** Signal 0 checks that the process exists; EPERM means it exists under another user. */
function isRunning(pid: number): boolean {
  try {
    kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
