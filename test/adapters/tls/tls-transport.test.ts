import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import type { Address } from '../../../src/domain/address';
import { FileKeyStore } from '../../../src/adapters/keys/file-key-store';
import { identityOfCertificatePem } from '../../../src/adapters/keys/identity-of';
import { ListenError } from '../../../src/adapters/tls/listen.error';
import { TlsTransport } from '../../../src/adapters/tls/tls-transport';
import { encodeFrame } from '../../../src/adapters/wire/frame-codec';
import { hasOpenssl, writeOpensslPair } from '../keys/openssl-fixtures';
import { connectNodes, credentials, quietLogger, ping, rawPeer, RecordingHandlers, startNode, type TestNode } from './tls-test-kit';

const running: TestNode[] = [];

async function node(index: number, options: Parameters<typeof startNode>[1] = {}): Promise<TestNode> {
  const started = await startNode(index, options);
  running.push(started);
  return started;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((each) => each.transport.shutdown()));
});

/** No connection got `closed` twice, and only connected ones got it. */
function assertClosedAtMostOnce(each: TestNode): void {
  const ids = each.handlers.of('closed').map((event) => event.connection);
  assert.equal(new Set(ids).size, ids.length, `closed twice: ${ids.join(', ')}`);
  const connected = new Set(each.handlers.of('connected').map((event) => event.connection.id));
  assert.ok(ids.every((id) => connected.has(id)));
}

/** A hang is a failure, reported as such. */
describe('TlsTransport', { timeout: 60_000 }, () => {
  it('connects two nodes and proves both identities', async () => {
    const alice = await node(0);
    const bob = await node(1);
    const { outbound, inbound } = await connectNodes(alice, bob);
    assert.equal(outbound.peer, bob.identity);
    assert.equal(outbound.direction, 'outbound');
    assert.equal(outbound.dialed, bob.address);
    assert.equal(outbound.remoteHost, '127.0.0.1');
    assert.equal(inbound.peer, alice.identity);
    assert.equal(inbound.direction, 'inbound');
    assert.equal(inbound.dialed, undefined);
    assert.equal(inbound.remoteHost, '127.0.0.1');
    assert.notEqual(outbound.id, inbound.id);
  });

  describe('network key', () => {
    it('admits peers that hold the same key', async () => {
      const networkKey = randomBytes(32);
      const alice = await node(0, { networkKey });
      const bob = await node(1, { networkKey });
      await connectNodes(alice, bob);
    });

    for (const [name, aliceKey, bobKey] of [
      ['different keys', randomBytes(32), randomBytes(32)],
      ['a key on the dialling side only', randomBytes(32), undefined],
      ['a key on the accepting side only', undefined, randomBytes(32)],
    ] as const) {
      it(`rejects on both sides with ${name}`, async () => {
        const alice = await node(0, { networkKey: aliceKey });
        const bob = await node(1, { networkKey: bobKey });
        alice.transport.dial(bob.address);
        const failed = await alice.handlers.next('dialFailed');
        assert.equal(failed.address, bob.address);
        assert.equal(failed.failure.reason, 'network_key');
        assert.equal(failed.failure.presented, bob.identity);
        const rejected = await bob.handlers.next('rejected');
        assert.equal(rejected.failure.reason, 'network_key');
        assert.equal(rejected.failure.presented, alice.identity);
        assert.match(rejected.remote, /^127\.0\.0\.1:\d+$/);
        assert.deepEqual(alice.handlers.of('connected'), []);
        assert.deepEqual(bob.handlers.of('connected'), []);
      });
    }
  });

  describe('bad peers', () => {
    it('rejects garbage bytes while another peer still connects', async () => {
      const bob = await node(1);
      const garbage = tcpConnect({ host: '127.0.0.1', port: Number(bob.address.split(':')[1]) });
      garbage.on('error', () => undefined);
      garbage.write('GET / HTTP/1.1\r\nHost: example\r\n\r\n');
      const rejected = await bob.handlers.next('rejected');
      assert.equal(rejected.failure.reason, 'protocol');
      assert.match(rejected.remote, /^127\.0\.0\.1:\d+$/);
      garbage.destroy();
      const alice = await node(0);
      await connectNodes(alice, bob);
      assert.ok(bob.logger.records.some((entry) => entry.level === 'debug' && entry.message === 'inbound connection rejected'));
    });

    it('times out a TCP client that never speaks without holding up anyone else', async () => {
      // Long enough for another peer to connect meanwhile, even on a loaded machine.
      const bob = await node(1, { handshakeTimeoutMs: 1500 });
      const silent = tcpConnect({ host: '127.0.0.1', port: Number(bob.address.split(':')[1]) });
      // It reads (and so notices the hang-up), but never writes.
      silent.on('error', () => undefined).resume();
      await new Promise((resolve) => silent.once('connect', resolve));
      const alice = await node(0);
      await connectNodes(alice, bob);
      assert.deepEqual(bob.handlers.of('rejected'), []);
      const rejected = await bob.handlers.next('rejected');
      assert.equal(rejected.failure.reason, 'timeout');
      await bob.handlers.until(() => silent.closed, 'the silent client is disconnected');
    });

    it('times out a peer that finishes TLS but never sends its auth frame', async () => {
      const bob = await node(1, { handshakeTimeoutMs: 1000 });
      const socket = await rawPeer(bob, await credentials(2), { sendAuth: false });
      const rejected = await bob.handlers.next('rejected');
      assert.equal(rejected.failure.reason, 'timeout');
      assert.equal(rejected.failure.presented, identityOfCertificatePem((await credentials(2)).certPem));
      socket.destroy();
    });

    it('rejects a TLS client without a certificate', async () => {
      const bob = await node(1);
      const port = Number(bob.address.split(':')[1]);
      const socket = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false });
      socket.on('error', () => undefined);
      const rejected = await bob.handlers.next('rejected');
      assert.equal(rejected.failure.reason, 'protocol');
      assert.match(rejected.failure.detail, /no certificate/);
      socket.destroy();
    });

    it('rejects a peer whose first frame is not the auth frame', async () => {
      const bob = await node(1);
      const socket = await rawPeer(bob, await credentials(2), { sendAuth: false });
      socket.write(encodeFrame(ping(1)));
      const rejected = await bob.handlers.next('rejected');
      assert.equal(rejected.failure.reason, 'protocol');
      assert.match(rejected.failure.detail, /expected an auth frame/);
      socket.destroy();
    });

    it('closes only the connection that sends an oversized frame', async () => {
      const alice = await node(0);
      const bob = await node(1);
      const { inbound: fromAlice } = await connectNodes(alice, bob);
      const socket = await rawPeer(bob, await credentials(2));
      const intruder = await bob.handlers.next('connected', (event) => event.connection.id !== fromAlice.id);
      socket.write(Buffer.from([0x7f, 0xff, 0xff, 0xff]));
      const closed = await bob.handlers.next('closed');
      assert.equal(closed.connection, intruder.connection.id);
      assert.equal(closed.cause.kind, 'protocol');
      assert.match(closed.cause.detail, /oversized/);
      assert.ok(bob.logger.records.some((entry) => entry.level === 'warn' && /protocol violation/.test(entry.message)));
      bob.transport.send(fromAlice.id, ping(7));
      assert.deepEqual((await alice.handlers.next('message')).message, ping(7));
      assertClosedAtMostOnce(bob);
      socket.destroy();
    });

    it('disconnects a peer that stops reading instead of queueing without bound', async () => {
      const bob = await node(1, { maxQueuedBytes: 256 * 1024 });
      const socket = await rawPeer(bob, await credentials(2));
      const { connection } = await bob.handlers.next('connected');
      socket.pause();
      const big = ping(0, 'x'.repeat(1000));
      for (let i = 0; i < 10_000 && bob.handlers.of('closed').length === 0; i++) {
        bob.transport.send(connection.id, big);
        if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
      }
      const closed = await bob.handlers.next('closed');
      assert.deepEqual(closed.cause, { kind: 'error', detail: 'send queue full' });
      socket.destroy();
    });
  });

  it('reports a dial to an address it cannot parse, asynchronously', async () => {
    const alice = await node(0);
    alice.transport.dial('nonsense' as Address);
    assert.deepEqual(alice.handlers.of('dialFailed'), []);
    assert.equal((await alice.handlers.next('dialFailed')).failure.reason, 'unreachable');
  });

  it('connects keys of every kind openssl writes', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2p-gossip-tls-'));
    try {
      const p256 = writeOpensslPair(dir, 'p256', 'p256-sec1');
      const rsa = writeOpensslPair(dir, 'rsa', 'rsa-pkcs1');
      const alice = await node(0, { credentials: await new FileKeyStore({ keyPath: p256.key, certPath: p256.cert }).load() });
      const bob = await node(1, { credentials: await new FileKeyStore({ keyPath: rsa.key, certPath: rsa.cert }).load() });
      const carol = await node(2);
      const { outbound } = await connectNodes(alice, bob);
      assert.equal(outbound.peer, bob.identity);
      await connectNodes(carol, alice);
      await connectNodes(bob, carol);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to listen on a port in use, naming the address', async () => {
    const bob = await node(1);
    const other = new TlsTransport({}, quietLogger());
    const port = Number(bob.address.split(':')[1]);
    await assert.rejects(other.listen({ host: '127.0.0.1', port, credentials: await credentials(0) }, new RecordingHandlers()), (error: unknown) => {
      assert.ok(error instanceof ListenError);
      assert.equal(error.name, 'ListenError');
      assert.equal(error.message, `cannot listen on 127.0.0.1:${port}: address already in use`);
      return true;
    });
    await other.shutdown();
  });

  it('shuts down: peers see the connections close, and no handle is left open', async () => {
    const alice = await node(0);
    const bob = await node(1);
    const carol = await node(2);
    await connectNodes(alice, bob);
    await connectNodes(carol, alice);
    const started = Date.now();
    await alice.transport.shutdown();
    assert.ok(Date.now() - started < 1500, 'graceful shutdown does not wait for the fallback');
    assert.equal(alice.handlers.of('closed').length, 2);
    assert.ok(alice.handlers.of('closed').every((event) => event.cause.kind === 'local'));
    assert.equal((await bob.handlers.next('closed')).cause.kind, 'remote');
    assert.equal((await carol.handlers.next('closed')).cause.kind, 'remote');
    alice.transport.dial(bob.address);
    assert.equal((await alice.handlers.next('dialFailed')).failure.reason, 'unreachable');
    await Promise.all(running.splice(0).map((each) => each.transport.shutdown()));
    // A closed handle leaves the list once libuv has run its close callback, a loop turn or two later.
    const open = (): string[] => process.getActiveResourcesInfo().filter((name) => /TCP|TLS|Timeout/.test(name));
    const deadline = Date.now() + 1000;
    while (open().length > 0 && Date.now() < deadline) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(open(), []);
  });
});
