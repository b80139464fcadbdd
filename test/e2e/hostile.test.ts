import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { keygen } from './support/cli';
import { FAST, freePort, CliGroup, type CliProcess, temporaryDirectory } from './support/node-process';

/** One network of two nodes for the whole file: every attack must leave it standing. */
const group = new CliGroup();
const dir = temporaryDirectory('hostile');
let a: CliProcess;
let b: CliProcess;
let portA = 0;
let idB = '';
let credentials: { key: string; cert: string };

before(async () => {
  portA = await freePort();
  a = group.start('a', [...FAST, '--port', String(portA)]);
  await a.listening();
  b = group.start('b', [...FAST, '--port', String(await freePort()), '--connect', `127.0.0.1:${portA}`]);
  idB = (await b.listening()).id;
  await a.connectedTo([idB]);
  await keygen(['--key', join(dir, 'h.key'), '--cert', join(dir, 'h.crt')]);
  credentials = { key: readFileSync(join(dir, 'h.key'), 'utf8'), cert: readFileSync(join(dir, 'h.crt'), 'utf8') };
});

after(() => group.killAll());

/** The network is still whole: a fresh ping from b arrives at a, and nobody was taken for dead. */
async function stillStanding(): Promise<void> {
  const seen = a.events.length;
  await a.until('a fresh ping from b', () => a.events.slice(seen).some((e) => e.event === 'ping_received' && e.peer === idB));
  assert.ok(a.running && b.running);
  for (const node of [a, b]) assert.equal(node.events.filter((e) => e.event === 'peer_dead' || e.event === 'peer_disconnected').length, 0);
}

function closedBy(socket: Socket, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the node kept a hostile connection open')), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function rawTcp(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(portA, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

/** A client that completes TLS with its own key and the (empty) network-key step, then misbehaves. */
function authenticatedTls(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ port: portA, host: '127.0.0.1', ...credentials, rejectUnauthorized: false, minVersion: 'TLSv1.3' }, () => {
      const auth = Buffer.from(JSON.stringify({ v: 1, t: 'auth' }));
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(auth.length);
      socket.write(Buffer.concat([prefix, auth]));
      resolve(socket);
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
    // Read (and ignore) what the node says, so that its close reaches us.
    socket.resume();
  });
}

describe('hostile input from the network', () => {
  it('closes a connection that sends garbage bytes instead of TLS, and carries on', async () => {
    const socket = await rawTcp();
    socket.on('error', () => undefined);
    socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n\x00\xff\x13garbage'));
    await closedBy(socket, 10_000);
    const rejected = await a.waitFor('a protocol rejection', (e) => e.event === 'peer_rejected' && e.reason === 'protocol');
    assert.equal(rejected.address, '127.0.0.1', 'the host only: a source port is not an address to dial');
    await stillStanding();
  });

  it('closes a TLS client that sends a malformed frame, and carries on', async () => {
    const socket = await authenticatedTls();
    const junk = Buffer.from('{"v":1,"t":"nonsense"');
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(junk.length);
    socket.write(Buffer.concat([prefix, junk]));
    await closedBy(socket, 10_000);
    // Closed for the frame itself, not by the hello timeout that would close a silent peer too.
    await a.waitFor('a malformed-frame rejection', (e) => e.event === 'peer_rejected' && e.reason === 'protocol' && /malformed/.test(String(e.detail)));
    await stillStanding();
  });

  it('refuses a 2 GiB length prefix without waiting for it', async () => {
    const socket = await authenticatedTls();
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(2 ** 31);
    socket.write(prefix);
    await closedBy(socket, 10_000);
    await a.waitFor('an oversized-frame rejection', (e) => e.event === 'peer_rejected' && e.reason === 'protocol' && /oversized/.test(String(e.detail)));
    await stillStanding();
  });

  it('drops a client that never speaks, and one that trickles a byte at a time, while 200 idle sockets wait', async () => {
    const rssBefore = rssOf(a.pid);
    const idle = await Promise.all(Array.from({ length: 200 }, () => rawTcp()));
    for (const socket of idle) socket.on('error', () => undefined);
    const trickle = await rawTcp();
    trickle.on('error', () => undefined);
    const drip = setInterval(() => trickle.write(Buffer.from([0x16])), 1_000);
    try {
      await Promise.all([closedBy(trickle, 15_000), ...idle.map((socket) => closedBy(socket, 15_000))]);
      await a.waitFor('a timeout rejection', (e) => e.event === 'peer_rejected' && e.reason === 'timeout');
      await stillStanding();
      const growthMb = (rssOf(a.pid) - rssBefore) / 1024;
      assert.ok(growthMb < 64, `memory stays bounded (grew ${growthMb.toFixed(1)} MB)`);
    } finally {
      clearInterval(drip);
      for (const socket of [...idle, trickle]) socket.destroy();
    }
  });
});

/** Resident set size of a process, in KB, from /proc. */
function rssOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${String(pid)}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) : 0;
}
