import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real disk that fails on demand under a data dir, and heals again:
 * - `ENOSPC`: a 64 KiB tmpfs, filled to the last page by a filler file;
 * - `EROFS`: the same tmpfs, remounted read-only;
 * - `EISDIR`, where mounting is not allowed (not root, no CAP_SYS_ADMIN): the
 *   path of the store's temp file is made a directory, so that every write of
 *   the store fails in the kernel all the same.
 */
export interface FailingDisk {
  /** The error code writes fail with while the disk fails. */
  readonly code: 'ENOSPC' | 'EROFS' | 'EISDIR';
  /** A data dir on this disk (not created yet: the node creates it). */
  readonly dataDir: string;
  fail(): void;
  heal(): void;
  /** Unmounts (if mounted) and removes everything. */
  dispose(): void;
}

export type DiskFailure = 'ENOSPC' | 'EROFS';

const TMPFS_SIZE = '64k';

/** Whether this process may mount a tmpfs here (root in a sandbox that allows it). */
export function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'p2p-gossip-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', probe], { stdio: 'ignore' });
  } catch {
    rmSync(probe, { recursive: true, force: true });
    return false;
  }
  execFileSync('umount', [probe], { stdio: 'ignore' });
  rmSync(probe, { recursive: true, force: true });
  return true;
}

export function failingDisk(failure: DiskFailure, mountable: boolean): FailingDisk {
  const root = mkdtempSync(join(tmpdir(), `p2p-gossip-disk-${failure.toLowerCase()}-`));
  const mountPoint = join(root, 'disk');
  const dataDir = join(mountPoint, 'data');
  mkdirSync(mountPoint);
  if (!mountable) return blockedTempFile(root, dataDir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0700`, 'tmpfs', mountPoint]);
  let mounted = true;
  const filler = join(mountPoint, 'filler');
  const dispose = (): void => {
    if (mounted) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
    mounted = false;
    rmSync(root, { recursive: true, force: true });
  };
  if (failure === 'EROFS') {
    return {
      code: 'EROFS',
      dataDir,
      fail: () => execFileSync('mount', ['-o', 'remount,ro', mountPoint]),
      heal: () => execFileSync('mount', ['-o', 'remount,rw', mountPoint]),
      dispose,
    };
  }
  return {
    code: 'ENOSPC',
    dataDir,
    fail: () => fill(filler, join(mountPoint, 'probe')),
    heal: () => unlinkSync(filler),
    dispose,
  };
}

/** Writes until the file system is full, then checks that not even one byte more fits. */
function fill(filler: string, probe: string): void {
  try {
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  }
  try {
    writeFileSync(probe, 'x');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOSPC') {
      rmSync(probe, { force: true });
      return;
    }
    throw error;
  }
  throw new Error('the tmpfs is not full after filling it');
}

function blockedTempFile(root: string, dataDir: string): FailingDisk {
  const temp = join(dataDir, 'peers.json.tmp');
  return {
    code: 'EISDIR',
    dataDir,
    fail: () => mkdirSync(temp),
    heal: () => rmdirSync(temp),
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A data dir whose disk has room for the lock file and nothing more, so that
 * the first write of the node's key pair fails with ENOSPC; or, where
 * mounting is not allowed, one whose lock path is a directory (EISDIR). The
 * failure is a start failure either way.
 */
export function nearlyFullDisk(mountable: boolean): FailingDisk {
  const root = mkdtempSync(join(tmpdir(), 'p2p-gossip-disk-start-'));
  const mountPoint = join(root, 'disk');
  const dataDir = join(mountPoint, 'data');
  mkdirSync(mountPoint);
  if (!mountable) {
    const lock = join(dataDir, 'lock');
    return {
      code: 'EISDIR',
      dataDir,
      fail: () => mkdirSync(lock, { recursive: true }),
      heal: () => rmdirSync(lock),
      dispose: () => rmSync(root, { recursive: true, force: true }),
    };
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE},mode=0700`, 'tmpfs', mountPoint]);
  let mounted = true;
  const onePage = join(mountPoint, 'one-page');
  const filler = join(mountPoint, 'filler');
  return {
    code: 'ENOSPC',
    dataDir,
    fail: () => {
      // One page kept aside while the rest fills up, then freed: room for the lock file alone.
      writeFileSync(onePage, Buffer.alloc(4096));
      fill(filler, join(mountPoint, 'probe'));
      unlinkSync(onePage);
    },
    heal: () => unlinkSync(filler),
    dispose: () => {
      if (mounted) execFileSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
      mounted = false;
      rmSync(root, { recursive: true, force: true });
    },
  };
}
