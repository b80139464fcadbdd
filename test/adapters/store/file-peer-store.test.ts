import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { FilePeerStore, MAX_STORED_PEERS, PEERS_FILE_NAME } from '../../../src/adapters/store/file-peer-store';
import { formatAddress } from '../../../src/domain/address';
import { peersFile, reload, tempDir } from './data-dir.fixture';
import { byId, identityFor, storedPeer } from './stored-peers.fixture';

test('a missing file is an empty store, and neither load nor an idle flush creates anything', async (t) => {
  const dataDir = path.join(await tempDir(t), 'data');
  const store = new FilePeerStore(dataDir);
  assert.deepEqual(await store.load(), []);
  await store.flush();
  assert.equal(fs.existsSync(dataDir), false);
});

test('remembered peers survive into a new instance, in a versioned document', async (t) => {
  const dataDir = path.join(await tempDir(t), 'nested', 'data');
  const store = new FilePeerStore(dataDir);
  await store.load();
  const peers = [storedPeer(1, 100), storedPeer(2, 200, formatAddress('::1', 8080)), storedPeer(3, 300.5)];
  for (const peer of peers) store.remember(peer);
  await store.flush();

  assert.deepEqual(await reload(dataDir), byId(peers));
  const document = JSON.parse(await readFile(peersFile(dataDir), 'utf8')) as unknown;
  assert.deepEqual(document, { version: 1, peers: byId(peers) });
  assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
  assert.equal((await stat(peersFile(dataDir))).mode & 0o777, 0o600);
});

test('remembering a known identity updates its address and lastSeen; forget removes it', async (t) => {
  const dataDir = await tempDir(t);
  const first = new FilePeerStore(dataDir);
  await first.load();
  first.remember(storedPeer(1, 100));
  first.remember(storedPeer(2, 100));
  await first.flush();

  const second = new FilePeerStore(dataDir);
  await second.load();
  const moved = storedPeer(1, 150, formatAddress('peer.example', 9000));
  second.remember(moved);
  second.forget(identityFor(2));
  second.forget(identityFor(99));
  await second.flush();

  assert.deepEqual(await reload(dataDir), [moved]);
});

test('changes made before load are merged over the file, not written over it', async (t) => {
  const dataDir = await tempDir(t);
  const first = new FilePeerStore(dataDir);
  await first.load();
  for (const n of [1, 2, 3]) first.remember(storedPeer(n, n));
  await first.flush();

  const second = new FilePeerStore(dataDir);
  second.forget(identityFor(1));
  second.remember(storedPeer(3, 30));
  second.remember(storedPeer(4, 40));
  await second.flush();

  assert.deepEqual(await reload(dataDir), byId([storedPeer(2, 2), storedPeer(3, 30), storedPeer(4, 40)]));
});

test('a temp file left by a crash is ignored by load and replaced by the next write', async (t) => {
  const dataDir = await tempDir(t);
  const stored = storedPeer(1, 5);
  await writeFile(peersFile(dataDir), JSON.stringify({ version: 1, peers: [stored] }));
  await writeFile(`${peersFile(dataDir)}.tmp`, '{"version":1,"pee');
  const store = new FilePeerStore(dataDir);
  assert.deepEqual(await store.load(), [stored]);

  store.remember(storedPeer(2, 2));
  await store.flush();
  assert.deepEqual(await readdir(dataDir), [PEERS_FILE_NAME]);
  assert.deepEqual(await reload(dataDir), byId([stored, storedPeer(2, 2)]));
});

test(`the store keeps at most ${MAX_STORED_PEERS} peers, forgetting the least recently seen`, async (t) => {
  const dataDir = await tempDir(t);
  const extra = 10;
  const lastSeens = Array.from({ length: MAX_STORED_PEERS + extra }, (_, n) => n);
  await fc.assert(
    fc.asyncProperty(fc.shuffledSubarray(lastSeens, { minLength: lastSeens.length }), async (order) => {
      const store = new FilePeerStore(dataDir);
      await store.load();
      for (const n of order) store.remember(storedPeer(n, n));
      store.remember(storedPeer(-1, 0));
      const kept = (await store.load()).map((peer) => peer.lastSeen).sort((a, b) => a - b);
      assert.deepEqual(kept, lastSeens.slice(extra));
    }),
    { numRuns: 10 },
  );
});

test('the bound holds on disk, and a file past it is trimmed to the most recent on load', async (t) => {
  const dataDir = await tempDir(t);
  const peers = Array.from({ length: MAX_STORED_PEERS + 5 }, (_, n) => storedPeer(n, n));
  await writeFile(peersFile(dataDir), JSON.stringify({ version: 1, peers }));

  const store = new FilePeerStore(dataDir);
  assert.equal((await store.load()).length, MAX_STORED_PEERS);
  await store.flush();
  assert.deepEqual(await reload(dataDir), byId(peers.slice(5)));
  assert.ok((await stat(peersFile(dataDir))).size < 1024 * 1024);
});
