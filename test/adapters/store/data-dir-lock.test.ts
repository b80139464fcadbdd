import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { flagOf } from '../../../src/cli/node-options';
import { DataDirLock, DataDirLockError, LOCK_FILE_NAME } from '../../../src/adapters/store/data-dir-lock';
import { tempDir } from './data-dir.fixture';

function lockFile(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE_NAME);
}

async function exists(file: string): Promise<boolean> {
  return readFile(file).then(() => true, () => false);
}

test('creates the data dir and a lock holding our pid; release removes it', async (t) => {
  const dataDir = path.join(await tempDir(t), 'new', 'data');
  const lock = new DataDirLock(dataDir);
  await lock.acquire();
  assert.equal(await readFile(lockFile(dataDir), 'utf8'), `${process.pid}\n`);
  await lock.release();
  assert.equal(await exists(lockFile(dataDir)), false);
});

test('a second lock on the same dir in this process is refused, naming the dir, neutrally for a library', async (t) => {
  const dataDir = await tempDir(t);
  const first = new DataDirLock(dataDir);
  await first.acquire();
  await assert.rejects(new DataDirLock(dataDir).acquire(), (error: unknown) => {
    assert.ok(error instanceof DataDirLockError);
    assert.equal(error.name, 'DataDirLockError');
    assert.equal(error.message, `data dir ${dataDir}: in use by another node of this process`);
    assert.equal(error.describe(flagOf), `--data-dir ${dataDir}: in use by another node of this process`);
    return true;
  });
  await first.release();
  await new DataDirLock(dataDir).acquire();
});

test('a lock naming a dead pid, our own pid (a restarted container) or nothing at all is taken over', async (t) => {
  const dataDir = await tempDir(t);
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  for (const stale of [`${child.pid}\n`, `${process.pid}\n`, '', 'garbage']) {
    await writeFile(lockFile(dataDir), stale);
    const lock = new DataDirLock(dataDir);
    await lock.acquire();
    assert.equal(await readFile(lockFile(dataDir), 'utf8'), `${process.pid}\n`, JSON.stringify(stale));
    await lock.release();
  }
});

test('release leaves a lock that another process holds now', async (t) => {
  const dataDir = await tempDir(t);
  const lock = new DataDirLock(dataDir);
  await lock.acquire();
  await writeFile(lockFile(dataDir), '1\n');
  await lock.release();
  assert.equal(await readFile(lockFile(dataDir), 'utf8'), '1\n');
});
