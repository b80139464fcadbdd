import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keygen } from './support/cli';
import { ESTABLISH_MS, FAST, freePorts, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('e2e');

describe('failures, restarts and impostors', () => {
  it('reports a kill -9 as disconnected at once and dead after --dead-after, then reconnects the restart with the same key', async () => {
    const key = join(dir, 'c.key');
    const cert = join(dir, 'c.crt');
    await keygen(['--key', key, '--cert', cert]);
    const [portA, portB, portC] = (await freePorts(3)) as [number, number, number];
    const a = group.start('a', [...FAST, '--port', String(portA)]);
    await a.listening();
    const b = group.start('b', [...FAST, '--port', String(portB), '--connect', `127.0.0.1:${portA}`]);
    await b.listening();
    const cArgs = [...FAST, '--port', String(portC), '--connect', `127.0.0.1:${portB}`, '--key', key, '--cert', cert];
    const c = group.start('c', cArgs);
    const { id: idC } = await c.listening();
    await Promise.all([a.connectedTo([idC]), b.connectedTo([idC])]);
    await Promise.all([a.connectedFor(idC, ESTABLISH_MS), b.connectedFor(idC, ESTABLISH_MS)]);

    const killedAt = Date.now();
    await c.stop('SIGKILL');
    for (const node of [a, b]) {
      const disconnected = await node.waitFor('peer_disconnected c', (e) => e.event === 'peer_disconnected' && e.peer === idC);
      const dead = await node.waitFor('peer_dead c', (e) => e.event === 'peer_dead' && e.peer === idC);
      assert.equal(disconnected.address, `127.0.0.1:${portC}`);
      assert.ok(Date.parse(disconnected.ts) < Date.parse(dead.ts), 'disconnected before dead');
      assert.ok(Date.parse(disconnected.ts) - killedAt < 1_000, 'disconnected at once, not after --dead-after');
      assert.ok((dead.silentMs as number) >= 1_500, `never before --dead-after (${String(dead.silentMs)} ms)`);
      assert.ok(Date.parse(dead.ts) >= killedAt + 1_000, 'not reported dead at the moment of the kill');
    }

    const again = group.start('c again', cArgs);
    const { id } = await again.listening();
    assert.equal(id, idC, 'same key files, same identity');
    for (const node of [a, b]) {
      const back = await node.waitFor('c reconnected', (e) => e.event === 'peer_connected' && e.peer === idC && e.reconnect === true);
      assert.equal(back.address, `127.0.0.1:${portC}`);
    }
  });

  it("refuses a new key on a known node's port and keeps the pin", async () => {
    const [portA, portB] = (await freePorts(2)) as [number, number];
    const a = group.start('a', [...FAST, '--port', String(portA)]);
    await a.listening();
    const b = group.start('b', [...FAST, '--port', String(portB), '--connect', `127.0.0.1:${portA}`]);
    const { id: idB } = await b.listening();
    await a.connectedTo([idB]);
    await a.connectedFor(idB, ESTABLISH_MS);
    await b.stop('SIGKILL');

    const impostor = group.start('impostor', [...FAST, '--port', String(portB)]);
    const { id: idImpostor } = await impostor.listening();
    assert.notEqual(idImpostor, idB);
    const rejected = await a.waitFor('identity_mismatch', (e) => e.event === 'peer_rejected' && e.reason === 'identity_mismatch');
    assert.equal(rejected.expected, idB);
    assert.equal(rejected.presented, idImpostor);
    assert.equal(rejected.address, `127.0.0.1:${portB}`);
    // It is redialled with backoff and refused again, never admitted.
    await a.until('a second refusal', () => a.events.filter((e) => e.event === 'peer_rejected' && e.reason === 'identity_mismatch').length >= 2);
    assert.ok(!a.connectedPeers().has(idImpostor), 'the impostor is not a peer through the pinned address');
    await a.until('the key-change alarm on stderr', () => a.stderr.some((line) => line.includes('changed') && line.includes(idB)));
  });
});
