import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import type { SimulationWorld } from '../support/simulation-world';

/** Every running node's smoothed round trip to each other running node. */
function roundTrips(world: SimulationWorld): { route: string; rttMs: number | undefined }[] {
  const nodes = world.network.running();
  return nodes.flatMap((node) =>
    nodes
      .filter((other) => other !== node)
      .map((other) => ({ route: `${node.name} → ${other.name}`, rttMs: node.members().find((member) => member.id === other.identity)?.rttMs })),
  );
}

Then('every node lists every peer with a round trip of {duration}', function (this: SimulationWorld, rttMs: number) {
  for (const { route, rttMs: measured } of roundTrips(this)) assert.ok(measured !== undefined && Math.abs(measured - rttMs) < 1e-6, `${route}: round trip ${measured}, expected ${rttMs} ms`);
});

Then('every node lists every peer with a round trip between {duration} and {duration}', function (this: SimulationWorld, low: number, high: number) {
  for (const { route, rttMs } of roundTrips(this)) assert.ok(rttMs !== undefined && rttMs >= low && rttMs <= high, `${route}: round trip ${rttMs}, expected ${low} to ${high} ms`);
});

Then('no node lists {node} with a round trip', function (this: SimulationWorld, name: string) {
  const peer = this.node(name).identity;
  for (const node of this.network.running()) {
    const member = node.members().find((candidate) => candidate.id === peer);
    assert.ok(member !== undefined && member.state !== 'connected', `${node.name} still lists ${name} as connected`);
    assert.equal(member.rttMs, undefined, `${node.name} lists ${name} with a round trip`);
  }
});
