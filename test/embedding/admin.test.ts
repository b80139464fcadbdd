import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createNode, NodeOptionsError } from '../../src';

/** Waits for a condition checked on each event of `node`, with a deadline. */
function until(what: string, node: ReturnType<typeof createNode>, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!condition()) return;
      clearTimeout(timer);
      node.off('peer_connected', check).off('ping_received', check);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
    node.on('peer_connected', check).on('ping_received', check);
    check();
  });
}

describe('the admin API of embedded nodes', () => {
  it('serves each node its own admin API and metrics in one process; setTags and members() with tags and rttMs', async () => {
    const a = createNode({ port: 0, host: '127.0.0.1', period: 0.2, admin: '127.0.0.1:0', tags: { role: 'a' } });
    const listeningA = await a.start();
    assert.deepEqual(listeningA.tags, { role: 'a' });
    assert.equal(listeningA.admin, a.adminAddress);
    const b = createNode({ port: 0, host: '127.0.0.1', period: 0.2, admin: '127.0.0.1:0', connect: [listeningA.address] });
    try {
      await b.start();
      await until('a ping from b', a, () => a.members().some((m) => m.state === 'connected'));
      const [member] = a.members();
      assert.deepEqual(member?.tags, {});
      assert.ok(member?.rttMs === undefined || typeof member.rttMs === 'number');

      a.setTags({ role: 'primary' });
      const view = (await (await fetch(`http://${a.adminAddress}/v1/members`)).json()) as { self: { tags: unknown } };
      assert.deepEqual(view.self.tags, { role: 'primary' });
      assert.throws(() => a.setTags({ 'bad key': 'x' }), NodeOptionsError);

      // Two registries, one per node: both serve their own counters and the process metrics.
      for (const node of [a, b]) {
        const text = await (await fetch(`http://${node.adminAddress}/metrics`)).text();
        assert.match(text, /^p2p_gossip_peers\{state="connected"\} 1$/m);
        assert.match(text, /^process_resident_memory_bytes \d+/m);
      }
    } finally {
      await b.stop();
      await a.stop();
    }
    await assert.rejects(fetch(`http://${a.adminAddress}/healthz`), 'the admin API closes with the node');
  });
});
