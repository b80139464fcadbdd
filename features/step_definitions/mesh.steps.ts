import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import { eventsOf } from '../support/node-events';
import type { SimulationWorld } from '../support/simulation-world';

Then('the network forms one full mesh within {duration}', function (this: SimulationWorld, withinMs: number) {
  this.expectFullMesh(withinMs);
});

Then('after {duration} the network is still one full mesh', function (this: SimulationWorld, ms: number) {
  this.pass(ms);
  this.expectFullMesh(0);
});

Then('within {duration} {nodes} form a full mesh of their own', function (this: SimulationWorld, withinMs: number, names: string[]) {
  this.expectGroupMesh(names, withinMs);
});

Then('no node reported a peer disconnected, dead or rejected', function (this: SimulationWorld) {
  for (const node of this.network.nodes()) {
    const failures = node.events.filter(({ event }) => ['peer_disconnected', 'peer_dead', 'peer_rejected'].includes(event.event));
    assert.deepEqual(failures, [], `${node.name} reported failures`);
  }
});

Then('{node} and {node} share exactly one open connection', function (this: SimulationWorld, first: string, second: string) {
  for (const [from, to] of [[first, second], [second, first]] as const) {
    const links = this.node(from).process.adapters.transport.openConnections().filter((end) => end.remoteIdentity === this.node(to).identity);
    assert.equal(links.length, 1, `${from} has ${links.length} open connections to ${to}`);
    assert.equal(eventsOf(this.node(from), 'peer_connected').length, 1, `${from} reported ${to} connected more than once`);
  }
});
