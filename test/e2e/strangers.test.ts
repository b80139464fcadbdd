import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCredentials } from '../../src/adapters/keys/generate-credentials';
import { encodeFrame } from '../../src/adapters/wire/frame-codec';
import type { Identity } from '../../src/domain/identity';
import type { Message } from '../../src/domain/messages';
import { rawPeer } from '../adapters/tls/tls-test-kit';
import { type CliProcess, FAST, freePort, freePorts, pins, processesPerTest, temporaryDirectory } from './support/node-process';

/**
 * Hostile clients that speak the wire protocol themselves: a fresh key per
 * connection, the auth step, a hello, and whatever comes next.
 */
const group = processesPerTest();
const dir = temporaryDirectory('strangers');
const DEBUG = { env: { LOG_LEVEL: 'debug' } };

/** The digest of nobody: a stranger claims to know no one. */
const NO_DIGEST = '0000000000000000';

/** One throwaway identity: handshake, auth, hello claiming `host:port`, then `after` (default: vanish). */
async function stranger(target: { port: number; id: string }, claim: { port: number; host?: string }, after: (send: (message: Message) => void) => void = () => undefined): Promise<Identity> {
  const own = await generateCredentials();
  const socket = await rawPeer({ address: `127.0.0.1:${target.port}` as never, identity: target.id as Identity }, own);
  socket.resume();
  const send = (message: Message): void => {
    socket.write(encodeFrame(message));
  };
  const hello: Message = claim.host === undefined
    ? { v: 1, t: 'hello', id: own.identity, port: claim.port, digest: NO_DIGEST }
    : { v: 1, t: 'hello', id: own.identity, port: claim.port, host: claim.host, digest: NO_DIGEST };
  send(hello);
  after(send);
  socket.end();
  return own.identity;
}

/** Runs `count` strangers at `perSecond`, at most a few in flight; resolves with their identities. */
async function flood(count: number, perSecond: number, one: () => Promise<Identity>): Promise<Identity[]> {
  const started: Promise<Identity | undefined>[] = [];
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      started.push(one().catch(() => undefined));
      if (started.length >= count) {
        clearInterval(timer);
        resolve();
      }
    }, 1_000 / perSecond);
  });
  return (await Promise.all(started)).filter((id): id is Identity => id !== undefined);
}

function mentions(node: CliProcess, ids: readonly string[]): string[] {
  const set = new Set(ids);
  return node.stderr.filter((line) => [...set].some((id) => line.includes(id)));
}

/** Resident set size of a process, in KB, from /proc. */
function rssOf(pid: number | undefined): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return match ? Number(match[1]) : 0;
}

async function meshOfTwo(dataDirA?: string): Promise<{ a: CliProcess; b: CliProcess; portA: number; portB: number; idA: string; idB: string }> {
  const [portA, portB] = (await freePorts(2)) as [number, number];
  const a = group.start('a', [...FAST, '--port', String(portA), ...(dataDirA === undefined ? [] : ['--data-dir', dataDirA])], DEBUG);
  const idA = (await a.listening()).id;
  const b = group.start('b', [...FAST, '--port', String(portB), '--connect', `127.0.0.1:${portA}`, '--data-dir', join(dir, `b-${portB}`)], DEBUG);
  const idB = (await b.listening()).id;
  await a.connectedTo([idB]);
  // Long enough connected to be established (FAST: max(0.2 s, 3 × 0.25 s)): a pin is written.
  if (dataDirA !== undefined) await a.until('b pinned by a', () => pins(dataDirA, idB), 15_000);
  return { a, b, portA, portB, idA, idB };
}

describe('throwaway identities', () => {
  it('does not pin, pass on or keep redialling strangers that say hello and vanish, and still admits a newcomer', async () => {
    const { a, b, portA, idA, idB } = await meshOfTwo(join(dir, 'a'));
    const nowhere = await freePort();
    const ids = await flood(300, 100, () => stranger({ port: portA, id: idA }, { port: nowhere }));
    assert.ok(ids.length >= 250, `the flood ran (${ids.length} strangers)`);
    const c = group.start('c', [...FAST, '--port', String(await freePort()), '--connect', `127.0.0.1:${portA}`, '--data-dir', join(dir, 'c')], DEBUG);
    const idC = (await c.listening()).id;
    await a.connectedTo([idB, idC], 20_000);
    await c.connectedTo([idA, idB], 20_000);
    await a.until('c pinned by a', () => pins(join(dir, 'a'), idC), 15_000);
    const peersJson = readFileSync(join(dir, 'a', 'peers.json'), 'utf8');
    assert.deepEqual(ids.filter((id) => peersJson.includes(id)), [], 'peers.json holds no stranger');
    assert.deepEqual(mentions(b, ids), [], 'b never heard of a stranger');
    assert.deepEqual(mentions(c, ids), [], 'the newcomer never heard of a stranger');
    const dials = a.stderr.filter((line) => line.includes('"msg":"dialling"') && ids.some((id) => line.includes(id))).length;
    assert.ok(dials <= 3 * ids.length, `strangers redialled a few times at most (${dials} dials for ${ids.length})`);
  });

  it('raises no key-change alarm against an honest member whose address a stranger claimed', async () => {
    const { a, portA, portB, idA, idB } = await meshOfTwo();
    await stranger({ port: portA, id: idA }, { port: portB, host: '127.0.0.1' });
    await a.until('a drops the stale claim', () => a.stderr.some((line) => line.includes('stale claim')), 20_000);
    assert.deepEqual(a.events.filter((e) => e.event === 'peer_rejected' && e.reason === 'identity_mismatch'), []);
    assert.deepEqual(a.stderr.filter((line) => /changed/.test(line) && line.includes(idB)), []);
    assert.ok(a.connectedPeers().has(idB), 'b is still connected');
  });
});

/** Within this long of the first dial our listeners accept, no dial can have met the node's 5 s handshake timeout. */
const FIRST_WAVE_MS = 4000;

describe('a flood of candidates', () => {
  it('dials made-up peers a few at a time and gives the memory back', async () => {
    const { a, portA, idA } = await meshOfTwo();
    // Listeners that accept and never answer TLS: every dial to them hangs until the node's handshake timeout.
    const held = new Set<Socket>();
    let accepted = 0;
    let firstAcceptAt: number | undefined;
    let most = 0;
    let mostInFirstWave = 0;
    const servers: Server[] = [];
    try {
      for (let i = 0; i < 128; i += 1) {
        const server = createServer((socket) => {
          accepted += 1;
          held.add(socket);
          most = Math.max(most, held.size);
          firstAcceptAt ??= performance.now();
          // No dial of the first wave can time out in its first 5 s (the handshake timeout, never early).
          if (performance.now() - firstAcceptAt < FIRST_WAVE_MS) mostInFirstWave = held.size;
          socket.on('error', () => undefined);
          socket.on('close', () => held.delete(socket));
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        servers.push(server);
      }
      const listening = servers.map((server) => {
        const address = server.address();
        return typeof address === 'object' && address ? address.port : 0;
      });
      const peers = Array.from({ length: 4096 }, (_, i) => ({
        id: Buffer.alloc(32, i % 251).toString('hex').slice(0, 60) + i.toString(16).padStart(4, '0'),
        addr: i < listening.length ? `127.0.0.1:${listening[i] as number}` : `127.1.${(i >> 8) & 255}.${i & 255}:9`,
      }));
      const rssBefore = rssOf(a.pid);
      await stranger({ port: portA, id: idA }, { port: await freePort() }, (send) => send({ v: 1, t: 'peers', peers: peers as never, ask: false }));
      await a.until('the first wave of dials', () => accepted >= 16, 20_000);
      // The first wave times out (5 s handshake timeout); the next one follows. Never more than the cap at once.
      await a.until('a second wave of dials', () => accepted > 32, 30_000);
      // Before any dial can time out, what our listeners hold is exactly what the node has in flight.
      assert.ok(mostInFirstWave <= 32, `32 dials in flight to candidates at most (saw ${mostInFirstWave} in the first wave)`);
      // Later the node dials the next candidate as it drops a timed-out one, before our listener sees that close
      // (much later on a loaded machine): a wave and the end of the one before, never all 128.
      assert.ok(most < 64, `the cap holds in later waves (saw ${most} at once)`);
      const dials = a.stderr.filter((line) => line.includes('"msg":"dialling"')).length;
      assert.ok(dials <= 128 * 3 + 50, `a bounded number of dials (${dials})`);
      for (const socket of held) socket.destroy();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      servers.length = 0;
      await a.until(`RSS back within 1.5 × ${rssBefore} kB`, () => rssOf(a.pid) <= 1.5 * rssBefore, 60_000);
    } finally {
      for (const socket of held) socket.destroy();
      for (const server of servers) server.close();
    }
  });
});

describe('a long split', () => {
  it('heals into one mesh after one side was frozen longer than reconnect-max', async () => {
    const ports = await freePorts(3);
    const a = group.start('a', [...FAST, '--port', String(ports[0])], DEBUG);
    const idA = (await a.listening()).id;
    const b = group.start('b', [...FAST, '--port', String(ports[1]), '--connect', `127.0.0.1:${ports[0] as number}`]);
    const idB = (await b.listening()).id;
    const c = group.start('c', [...FAST, '--port', String(ports[2]), '--connect', `127.0.0.1:${ports[0] as number}`]);
    const idC = (await c.listening()).id;
    await a.connectedTo([idB, idC]);
    await b.connectedTo([idA, idC]);
    c.signal('SIGSTOP');
    try {
      await a.waitFor('c dead', (e) => e.event === 'peer_dead' && e.peer === idC, 15_000);
      // Redialled long enough for the backoff to reach its cap (--reconnect-max 1 s).
      await a.until('a few redials of c', () => a.stderr.filter((line) => line.includes('"msg":"dialling"') && line.includes(idC)).length >= 3, 30_000);
    } finally {
      c.signal('SIGCONT');
    }
    const resumed = a.events.length;
    await a.until('a reconnects c', () => a.events.slice(resumed).some((e) => e.event === 'peer_connected' && e.peer === idC), 20_000);
    await c.connectedTo([idA, idB], 20_000);
    await b.connectedTo([idA, idC], 20_000);
  });
});
