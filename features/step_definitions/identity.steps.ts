import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import { eventsOf } from '../support/node-events';
import type { SimulationWorld } from '../support/simulation-world';

Then('within {duration} {node} refuses {node} at {node}\'s address as an identity mismatch', function (this: SimulationWorld, withinMs: number, name: string, impostor: string, owner: string) {
  const [node, expected, presented] = [this.node(name), this.node(owner), this.node(impostor)];
  const refused = (): boolean => eventsOf(node, 'peer_rejected').some(({ event }) =>
    event.reason === 'identity_mismatch' && event.address === expected.address && event.expected === expected.identity && event.presented === presented.identity);
  this.within(withinMs, `${name} refuses ${impostor} as an identity mismatch`, refused);
});

Then('{node} still pins {node}\'s identity to its address', function (this: SimulationWorld, name: string, owner: string) {
  const pinned = this.node(name).members().find((member) => member.id === this.node(owner).identity);
  assert.equal(pinned?.address, this.node(owner).address, `${name} lost the pin of ${owner}`);
});

Then('{node} is not connected to {node}', function (this: SimulationWorld, name: string, other: string) {
  assert.ok(!this.connectedMembers(this.node(name)).has(this.node(other).identity), `${name} is connected to ${other}`);
  assert.deepEqual(eventsOf(this.node(name), 'peer_connected').filter((e) => e.event.peer === this.node(other).identity), []);
});
