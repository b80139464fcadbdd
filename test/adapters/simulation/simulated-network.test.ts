import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SimulatedNetwork } from '../../../src/adapters/simulation/simulated-network';
import { createSimulatedNetwork } from '../../../src/main/simulation.module';

async function meshOfFour(seed: number): Promise<SimulatedNetwork> {
  const network = createSimulatedNetwork({ seed });
  network.setLatency(5, 10);
  network.setLoss(0.1);
  await network.addNode('A');
  for (const [name, via] of [['B', 'A'], ['C', 'B'], ['D', 'C']] as const) await network.addNode(name, { joinVia: [via] });
  assert.ok(network.runUntil(() => network.isFullMesh(), 5_000).met, 'no full mesh');
  return network;
}

function transcript(network: SimulatedNetwork): string[] {
  return network.nodes().flatMap((node) => node.events.map(({ at, event }) => `${node.name} ${at} ${JSON.stringify(event)}`));
}

test('the same seed replays the same run, event for event', async () => {
  const runs = await Promise.all([meshOfFour(11), meshOfFour(11), meshOfFour(12)]);
  for (const network of runs) network.advance(30_000);
  const [first, again, other] = runs.map(transcript);
  assert.deepEqual(again, first);
  assert.notDeepEqual(other, first);
});

test('a killed node is reset on the wire at once and its timers stop', async () => {
  const network = await meshOfFour(3);
  const framesBefore = network.node('B').events.length;
  network.kill('B');
  network.advance(60_000);
  assert.equal(network.node('B').events.length, framesBefore, 'a dead process emitted events');
  for (const name of ['A', 'C', 'D']) {
    const reasons = network.node(name).events.flatMap(({ event }) => (event.event === 'peer_disconnected' ? [event.reason] : []));
    assert.deepEqual(reasons, ['connection reset by the peer'], `${name} saw the death otherwise`);
  }
});

test('joining through a silent host is a peer_rejected timeout, as over real TLS', async () => {
  const network = createSimulatedNetwork({ seed: 5 });
  const silent = network.silentHost();
  const node = await network.addNode('A', { connect: [silent] });
  const rejected = (): string[] => node.events.flatMap(({ event }) => (event.event === 'peer_rejected' ? [`${event.address} ${event.reason}`] : []));
  assert.ok(network.runUntil(() => rejected().length > 0, 30_000).met, 'no rejection');
  assert.deepEqual(rejected().slice(0, 1), [`${silent} timeout`]);
});

test('twenty nodes started at once, each joining through the one before, mesh in under 2,500 frames', async () => {
  const network = createSimulatedNetwork({ seed: 7, retainEvents: false });
  network.setLatency(0.5, 0.25);
  for (let index = 0; index < 20; index += 1) await network.addNode(`n${index}`, index === 0 ? {} : { joinVia: [`n${index - 1}`] });
  assert.ok(network.runUntil(() => network.isFullMesh(), 1_000).met, 'no full mesh');
  // 1,948 frames; passing each reached peer to every joiner connected to its finder took 4,388 (N³ as N nodes start at once).
  // The rule itself is pinned in test/domain/membership-protocol.test.ts; this bounds what a simultaneous start costs.
  assert.ok(network.stats.frames < 2_500, `${network.stats.frames} frames`);
});

test('a node that joins while members restart meets them at once, not at the next sync', async () => {
  const network = createSimulatedNetwork({ seed: 4, retainEvents: false });
  network.setLatency(0.5, 0.25);
  await network.addNode('n0');
  for (let index = 1; index < 20; index += 1) await network.addNode(`n${index}`, { joinVia: ['n0'] });
  assert.ok(network.runUntil(() => network.isFullMesh(), 1_000).met, 'no full mesh');
  network.advance(8_000);
  const restarting = ['n15', 'n16', 'n17', 'n18', 'n19'];
  for (const name of restarting) network.kill(name);
  network.advance(100);
  await network.addNode('joiner', { joinVia: ['n0'] });
  network.advance(80);
  for (const name of restarting) await network.restart(name);
  // Members pass the joiner (a stranger) only to strangers, and the restarted nodes dial members: n0 passes each one
  // that comes back on to the joiner that came through it. Without that, 9.9 s (the sync) with this seed.
  assert.ok(network.runUntil(() => network.isFullMesh(), 1_000).met, 'the joiner and the restarted members did not meet within 1 s');
});
