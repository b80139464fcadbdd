import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { FilePeerStore, PEERS_FILE_NAME } from '../../../src/adapters/store/file-peer-store';
import { peersFile, rejectsNamingFile, reload, tempDir } from './data-dir.fixture';
import { identityFor, storedPeer } from './stored-peers.fixture';
import { transpileTree } from './transpile-tree';

const ROOT = path.resolve(__dirname, '../../..');

test('garbage is reported as corrupt, naming the file, and the file is never written over', async (t) => {
  const dataDir = await tempDir(t);
  const file = peersFile(dataDir);
  await writeFile(file, 'garbage{');
  const store = new FilePeerStore(dataDir);

  const message = await rejectsNamingFile(store.load(), file, / is corrupt: .*move it away/);
  assert.match(message, /Unexpected token/);
  store.remember(storedPeer(1, 1));
  await rejectsNamingFile(store.flush(), file, / is corrupt: /);

  assert.equal(await readFile(file, 'utf8'), 'garbage{');
  assert.deepEqual(await readdir(dataDir), [PEERS_FILE_NAME]);
});

const wellFormed = storedPeer(1, 5);
const wrongShapes: ReadonlyArray<readonly [string, unknown, RegExp]> = [
  ['an array', [], /document: .*expected object/],
  ['no version', { peers: [] }, /version: unsupported version/],
  ['a newer version', { version: 2, peers: [] }, /version: unsupported version \(this node reads version 1\)/],
  ['no peers', { version: 1 }, /peers: /],
  ['an unknown field', { version: 1, peers: [], extra: true }, /document: .*extra/],
  ['a short id', { version: 1, peers: [{ ...wellFormed, id: 'abc' }] }, /peers\[0\]\.id: expected an identity/],
  ['an upper-case id', { version: 1, peers: [{ ...wellFormed, id: identityFor(1).toUpperCase() }] }, /peers\[0\]\.id: /],
  ['an address without port', { version: 1, peers: [{ ...wellFormed, address: '10.0.0.1' }] }, /peers\[0\]\.address: expected a host:port/],
  ['a negative lastSeen', { version: 1, peers: [{ ...wellFormed, lastSeen: -1 }] }, /peers\[0\]\.lastSeen: /],
  ['a textual lastSeen', { version: 1, peers: [{ ...wellFormed, lastSeen: '5' }] }, /peers\[0\]\.lastSeen: /],
  ['a duplicate id', { version: 1, peers: [wellFormed, { ...wellFormed, lastSeen: 6 }] }, /peers\[1\]\.id: duplicate id/],
];

for (const [what, document, problem] of wrongShapes) {
  test(`valid JSON with ${what} is reported as invalid and left untouched`, async (t) => {
    const dataDir = await tempDir(t);
    const file = peersFile(dataDir);
    const text = JSON.stringify(document);
    await writeFile(file, text);
    const store = new FilePeerStore(dataDir);

    await rejectsNamingFile(store.load(), file, new RegExp(` is invalid: ${problem.source}.*move it away`));
    store.remember(storedPeer(1, 1));
    await rejectsNamingFile(store.flush(), file, / is invalid: /);
    assert.equal(await readFile(file, 'utf8'), text);
  });
}

test('a failed load is tried again once the file is fixed', async (t) => {
  const dataDir = await tempDir(t);
  await writeFile(peersFile(dataDir), '{"version":1,"peers":[');
  const store = new FilePeerStore(dataDir);
  await rejectsNamingFile(store.load(), peersFile(dataDir), / is corrupt: /);

  await writeFile(peersFile(dataDir), JSON.stringify({ version: 1, peers: [wellFormed] }));
  assert.deepEqual(await store.load(), [wellFormed]);
});

test('a store path that cannot be read as a file is reported as unreadable', async (t) => {
  const dataDir = await tempDir(t);
  await mkdir(peersFile(dataDir));
  await rejectsNamingFile(new FilePeerStore(dataDir).load(), peersFile(dataDir), / cannot be read: EISDIR/);
});

test('a store file without read permission is reported as unreadable and left untouched', async (t) => {
  const dir = await tempDir(t);
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir);
  const text = JSON.stringify({ version: 1, peers: [wellFormed] });
  await writeFile(peersFile(dataDir), text);
  await chmod(peersFile(dataDir), 0o000);
  // Root reads any file, so the load runs in a child process as `nobody` when we are root.
  const [loader] = transpileTree(ROOT, [path.join(__dirname, 'load-peer-store.ts')], path.join(dir, 'js'));
  assert.ok(loader);
  await chmod(dir, 0o755);
  await chmod(dataDir, 0o755);
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const { stdout } = await promisify(execFile)(process.execPath, [loader, dataDir], {
    ...asNobody,
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    timeout: 20_000,
  });

  const outcome = JSON.parse(stdout) as { name?: string; message?: string };
  assert.equal(outcome.name, 'PeerStoreError');
  assert.equal(outcome.message, `peer store ${peersFile(dataDir)} cannot be read: EACCES: permission denied, open '${peersFile(dataDir)}'`);
  await chmod(peersFile(dataDir), 0o600);
  assert.equal(await readFile(peersFile(dataDir), 'utf8'), text);
});

test('a failed write is reported naming the file and retried by the next flush', async (t) => {
  const dataDir = await tempDir(t);
  const blocker = `${peersFile(dataDir)}.tmp`;
  await mkdir(blocker);
  const store = new FilePeerStore(dataDir);
  await store.load();
  store.remember(storedPeer(1, 1));
  await rejectsNamingFile(store.flush(), peersFile(dataDir), / cannot be written: EISDIR/);

  await rm(blocker, { recursive: true });
  await store.flush();
  assert.deepEqual(await reload(dataDir), [storedPeer(1, 1)]);
});

test('a write that fails after creating the temp file removes it, and the old file stays', async (t) => {
  const dataDir = await tempDir(t);
  const store = new FilePeerStore(dataDir);
  await store.load();
  store.remember(storedPeer(1, 1));
  await store.flush();
  const before = await readFile(peersFile(dataDir), 'utf8');
  const { open } = fs.promises;
  t.mock.method(fs.promises, 'open', async (file: string, ...rest: [string, number]) => {
    const handle = await open(file, ...rest);
    if (file.endsWith('.tmp')) {
      t.mock.method(handle, 'sync', () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, fsync'), { code: 'ENOSPC' })));
    }
    return handle;
  });
  store.remember(storedPeer(2, 2));
  await rejectsNamingFile(store.flush(), peersFile(dataDir), / cannot be written: ENOSPC/);
  assert.deepEqual(await readdir(dataDir), [PEERS_FILE_NAME]);
  assert.equal(await readFile(peersFile(dataDir), 'utf8'), before);
});
