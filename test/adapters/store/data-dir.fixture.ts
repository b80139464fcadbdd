import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { FilePeerStore, PEERS_FILE_NAME } from '../../../src/adapters/store/file-peer-store';
import { PeerStoreError } from '../../../src/adapters/store/peer-store.error';
import type { StoredPeer } from '../../../src/application/ports/peer-store.port';
import { byId } from './stored-peers.fixture';

/** A fresh directory, removed when the test ends. */
export async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'peer-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function peersFile(dataDir: string): string {
  return path.join(dataDir, PEERS_FILE_NAME);
}

/** What a fresh instance loads, as a restarted node would, sorted by identity. */
export async function reload(dataDir: string): Promise<StoredPeer[]> {
  return byId(await new FilePeerStore(dataDir).load());
}

/** Asserts a one-line PeerStoreError naming the file, and returns its message. */
export async function rejectsNamingFile(promise: Promise<unknown>, file: string, problem: RegExp): Promise<string> {
  const error = await promise.then(
    () => assert.fail('expected a PeerStoreError'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof PeerStoreError, `not a PeerStoreError: ${String(error)}`);
  assert.equal(error.name, 'PeerStoreError');
  assert.ok(error.message.includes(`peer store ${file} `), error.message);
  assert.match(error.message, problem);
  assert.doesNotMatch(error.message, /\n/);
  return error.message;
}
