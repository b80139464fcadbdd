import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keygen, runCli } from './support/cli';
import { FAST, freePort, freePorts, pins, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('admission');

describe('persistence and admission, with real processes', () => {
  it('brings a node with --data-dir back into the full mesh after everyone restarts, without --connect', async () => {
    const ports = await freePorts(3);
    const dataDirs = ports.map((_, i) => join(dir, `data${i}`));
    const args = (i: number): string[] => [...FAST, '--port', String(ports[i]), '--data-dir', dataDirs[i] as string];
    const first = [
      group.start('a', args(0)),
      group.start('b', [...args(1), '--connect', `127.0.0.1:${ports[0]}`]),
      group.start('c', [...args(2), '--connect', `127.0.0.1:${ports[1]}`]),
    ];
    const ids = await Promise.all(first.map(async (node) => (await node.listening()).id));
    await Promise.all(first.map((node, i) => node.connectedTo(ids.filter((_, j) => j !== i))));
    await Promise.all(first.map((node, i) => node.until('pins of the others', () => ids.every((id, j) => j === i || pins(dataDirs[i] as string, id)))));
    for (const node of first) assert.equal((await node.stop('SIGTERM')).code, 0);

    const second = ports.map((_, i) => group.start(`again ${i}`, args(i)));
    const again = await Promise.all(second.map(async (node) => (await node.listening()).id));
    assert.deepEqual(again, ids, 'identities survive in the data dir');
    await Promise.all(second.map((node, i) => node.connectedTo(ids.filter((_, j) => j !== i))));
  });

  it('refuses another key at a remembered address after a restart too', async () => {
    const [portA, portB] = (await freePorts(2)) as [number, number];
    const dataDir = join(dir, 'pins');
    const args = [...FAST, '--port', String(portA), '--data-dir', dataDir];
    const a = group.start('a', args);
    await a.listening();
    const b = group.start('b', [...FAST, '--port', String(portB), '--connect', `127.0.0.1:${portA}`]);
    const { id: idB } = await b.listening();
    await a.connectedTo([idB]);
    await a.until('a pin of b', () => pins(dataDir, idB));
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);

    const impostor = group.start('impostor', [...FAST, '--port', String(portB)]);
    const { id: idImpostor } = await impostor.listening();
    const again = group.start('a again', args);
    const rejected = await again.waitFor('identity_mismatch after restart', (e) => e.event === 'peer_rejected' && e.reason === 'identity_mismatch');
    assert.deepEqual([rejected.expected, rejected.presented, rejected.address], [idB, idImpostor, `127.0.0.1:${portB}`]);
    assert.equal(again.connectedPeers().size, 0);
  });

  it('exits 1 naming the file when the peer store is corrupt, and leaves it in place', async () => {
    const dataDir = join(dir, 'corrupt');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'peers.json'), '{ this is not json');
    const result = await runCli(['--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir]);
    assert.equal(result.code, 1);
    assert.match(result.stderr.trim(), /peers\.json/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });

  it('never merges two networks with different network keys, even when told to connect', async () => {
    const [key1, key2] = [join(dir, 'net1.key'), join(dir, 'net2.key')];
    await keygen(['--network-key', key1]);
    await keygen(['--network-key', key2]);
    const portA = await freePort();
    const a = group.start('a (net1)', [...FAST, '--port', String(portA), '--network-key', key1]);
    await a.listening();
    const b = group.start('b (net1)', [...FAST, '--port', String(await freePort()), '--network-key', key1, '--connect', `127.0.0.1:${portA}`]);
    const { id: idB } = await b.listening();
    await a.connectedTo([idB]);

    const x = group.start('x (net2)', [...FAST, '--port', String(await freePort()), '--network-key', key2, '--connect', `127.0.0.1:${portA}`]);
    const { id: idX } = await x.listening();
    const open = group.start('y (no key)', [...FAST, '--port', String(await freePort()), '--connect', `127.0.0.1:${portA}`]);
    await open.listening();
    await x.waitFor('network_key rejection at x', (e) => e.event === 'peer_rejected' && e.reason === 'network_key');
    await a.until('two network_key rejections at a', () => a.events.filter((e) => e.event === 'peer_rejected' && e.reason === 'network_key').length >= 2);
    // Let retries happen: still nobody from outside gets in, and x learns nobody.
    await a.until('a few more pings inside net1', () => a.events.filter((e) => e.event === 'ping_received').length >= 10);
    assert.deepEqual([...a.connectedPeers()], [idB]);
    assert.equal(x.connectedPeers().size, 0);
    assert.equal(open.connectedPeers().size, 0);
    assert.ok(!a.connectedPeers().has(idX));
  });

  it('accepts only the identities of --allow, in both directions', async () => {
    const [friendKey, friendCert] = [join(dir, 'friend.key'), join(dir, 'friend.crt')];
    await keygen(['--key', friendKey, '--cert', friendCert]);
    const friendId = (await runCli(['id', '--cert', friendCert])).stdout.trim();
    const allow = join(dir, 'allow.txt');
    writeFileSync(allow, `# the only friend\n${friendId}\n\n`);
    const portA = await freePort();
    const a = group.start('a', [...FAST, '--port', String(portA), '--allow', allow]);
    await a.listening();
    const friend = group.start('friend', [...FAST, '--port', String(await freePort()), '--key', friendKey, '--cert', friendCert, '--connect', `127.0.0.1:${portA}`]);
    await friend.listening();
    await a.connectedTo([friendId]);
    const stranger = group.start('stranger', [...FAST, '--port', String(await freePort()), '--connect', `127.0.0.1:${portA}`]);
    const { id: strangerId } = await stranger.listening();
    const rejected = await a.waitFor('not_allowed', (e) => e.event === 'peer_rejected' && e.reason === 'not_allowed');
    assert.equal(rejected.presented, strangerId);
    // The friend knows the stranger only if a listed it; a never does.
    await friend.until('pings from a', () => friend.events.filter((e) => e.event === 'ping_received').length >= 5);
    assert.ok(!a.connectedPeers().has(strangerId));
  });
});
