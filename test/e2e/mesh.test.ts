import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST, freePort, freePorts, type CliProcess, processesPerTest } from './support/node-process';

const group = processesPerTest();

async function startChain(count: number): Promise<{ nodes: CliProcess[]; ids: string[] }> {
  const nodes: CliProcess[] = [];
  const ids: string[] = [];
  let previous: string | undefined;
  for (let i = 0; i < count; i += 1) {
    const port = await freePort();
    const node = group.start(`n${i}`, [...FAST, '--port', String(port), ...(previous ? ['--connect', previous] : [])]);
    const { id } = await node.listening();
    nodes.push(node);
    ids.push(id);
    previous = `127.0.0.1:${port}`;
  }
  return { nodes, ids };
}

describe('the mesh, with real processes', () => {
  it("runs the seed's example: two nodes with their own periods each show the other's pings", async () => {
    const [portA, portB] = (await freePorts(2)) as [number, number];
    const a = group.start('a', ['--period', '5', '--port', String(portA)]);
    const { id: idA } = await a.listening();
    const b = group.start('b', ['--period', '3', '--port', String(portB), '--connect', `127.0.0.1:${portA}`]);
    const { id: idB } = await b.listening();
    const fromB = await a.waitFor('a ping from b', (e) => e.event === 'ping_received' && e.peer === idB, 10_000);
    const fromA = await b.waitFor('a ping from a', (e) => e.event === 'ping_received' && e.peer === idA, 10_000);
    assert.equal(fromB.address, `127.0.0.1:${portB}`, 'the dialable address, not an ephemeral port');
    assert.equal(fromA.address, `127.0.0.1:${portA}`);
    assert.match(fromA.ts as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('joins three nodes through one peer each into a full mesh, all pinging each other', async () => {
    const { nodes, ids } = await startChain(3);
    await Promise.all(nodes.map((node, i) => node.connectedTo(ids.filter((_, j) => j !== i))));
    await Promise.all(nodes.map((node, i) => Promise.all(ids.filter((_, j) => j !== i).map((id) =>
      node.waitFor(`ping from ${id}`, (e) => e.event === 'ping_received' && e.peer === id)))));
    for (const node of nodes) {
      const sent = await node.waitFor('ping_sent to 2 peers', (e) => e.event === 'ping_sent' && e.peers === 2);
      assert.equal(typeof sent.message, 'string');
    }
  });

  it('crawls a chain of five joins into a full mesh, one connection per pair', async () => {
    const { nodes, ids } = await startChain(5);
    await Promise.all(nodes.map((node, i) => node.connectedTo(ids.filter((_, j) => j !== i))));
    for (const node of nodes) {
      const connected = node.events.filter((e) => e.event === 'peer_connected');
      assert.equal(connected.length, 4, `${node.name}: each peer connected once`);
      assert.equal(node.events.filter((e) => e.event === 'peer_disconnected').length, 0);
    }
  });
});
