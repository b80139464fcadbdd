import assert from 'node:assert/strict';
import fs from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { FilePeerStore } from '../../../src/adapters/store/file-peer-store';
import { peersFile, reload, tempDir } from './data-dir.fixture';
import { byId, identityFor, storedPeer } from './stored-peers.fixture';

function countRenames(t: TestContext): { readonly calls: () => number } {
  const rename = t.mock.method(fs.promises, 'rename');
  return { calls: () => rename.mock.callCount() };
}

test('flush writes nothing when nothing changed', async (t) => {
  const dataDir = await tempDir(t);
  const store = new FilePeerStore(dataDir);
  await store.load();
  store.remember(storedPeer(1, 1));
  await store.flush();
  const renames = countRenames(t);
  const written = await stat(peersFile(dataDir));

  await store.flush();
  store.remember(storedPeer(1, 1));
  store.forget(identityFor(2));
  await store.flush();

  assert.equal(renames.calls(), 0);
  assert.equal((await stat(peersFile(dataDir))).ino, written.ino);
});

test('flushes during a write share exactly one more write, after it, which carries every change', async (t) => {
  const dataDir = await tempDir(t);
  const store = new FilePeerStore(dataDir);
  await store.load();
  const { open, rename } = fs.promises;
  const steps: string[] = [];
  const later: Array<Promise<void>> = [];
  t.mock.method(fs.promises, 'open', (file: string, ...rest: [string, number]) => {
    steps.push(`open ${path.basename(file)}`);
    return open(file, ...rest);
  });
  t.mock.method(fs.promises, 'rename', (from: string, to: string) => {
    steps.push('rename');
    // Changes and flushes while the first write is under way, its data already on disk.
    if (later.length === 0) {
      for (let n = 1; n <= 100; n += 1) {
        store.remember(storedPeer(n, n));
        if (n % 10 === 0) store.forget(identityFor(n - 5));
        later.push(store.flush());
      }
    }
    return rename(from, to);
  });

  store.remember(storedPeer(0, 0));
  await store.flush();
  assert.equal(later.length, 100);
  await Promise.all(later);

  const oneWrite = ['open peers.json.tmp', 'rename', `open ${path.basename(dataDir)}`];
  assert.deepEqual(steps, [...oneWrite, ...oneWrite]);
  assert.ok(later.every((flush) => flush === later[0]));
  const expected = Array.from({ length: 101 }, (_, n) => storedPeer(n, n)).filter((_, n) => n % 10 !== 5);
  assert.deepEqual(await reload(dataDir), byId(expected));
});

test('a flush during a write that changed nothing since it began writes nothing more', async (t) => {
  const dataDir = await tempDir(t);
  const store = new FilePeerStore(dataDir);
  await store.load();
  const renames = countRenames(t);
  store.remember(storedPeer(1, 1));
  await Promise.all([store.flush(), store.flush(), store.flush()]);
  assert.equal(renames.calls(), 1);
});

test('any interleaving of changes and unawaited flushes ends with the last state on disk', async (t) => {
  const dataDir = await tempDir(t);
  const step = fc.oneof(
    fc.record({ kind: fc.constant('remember' as const), n: fc.nat(15), lastSeen: fc.nat(1000) }),
    fc.record({ kind: fc.constant('forget' as const), n: fc.nat(15) }),
    fc.record({ kind: fc.constant('flush' as const), wait: fc.boolean() }),
  );
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 30 }), async (steps) => {
      const runDir = path.join(dataDir, String((run += 1)));
      const store = new FilePeerStore(runDir);
      await store.load();
      const model = new Map<string, ReturnType<typeof storedPeer>>();
      const flushes: Array<Promise<void>> = [];
      for (const s of steps) {
        if (s.kind === 'remember') {
          const peer = storedPeer(s.n, s.lastSeen);
          store.remember(peer);
          model.set(peer.id, peer);
        } else if (s.kind === 'forget') {
          store.forget(identityFor(s.n));
          model.delete(identityFor(s.n));
        } else if (s.wait) {
          await store.flush();
        } else {
          flushes.push(store.flush());
        }
      }
      await Promise.all([...flushes, store.flush()]);
      assert.deepEqual(await reload(runDir), byId(model.values()));
    }),
    { numRuns: 40 },
  );
});
