import assert from 'node:assert/strict';
import { Then, When } from '@cucumber/cucumber';
import { hostileHandshake, hostileOf, strangersKnownBy } from '../support/hostile-expectations';
import { peersFrame } from '../support/hostile-frames';
import { eventsOf } from '../support/node-events';
import type { SimulationWorld } from '../support/simulation-world';

When('a hostile peer completes the handshake with {node} and sends it one peer list of {int} made-up entries', function (this: SimulationWorld, target: string, entries: number) {
  hostileHandshake(this, target).write(peersFrame(0, entries));
});

When('a hostile peer completes the handshake with {node} and sends it {int} peer lists of {int} made-up entries each', function (this: SimulationWorld, target: string, lists: number, entries: number) {
  const hostile = hostileHandshake(this, target);
  for (let list = 0; list < lists; list += 1) hostile.write(peersFrame(list * entries, entries));
});

When('a hostile peer completes the handshake with {node} and sends it {int} tags', function (this: SimulationWorld, target: string, count: number) {
  const tags = Object.fromEntries(Array.from({ length: count }, (_, index) => [`k${index}`, 'v']));
  hostileHandshake(this, target).send({ v: 1, t: 'tags', tags });
});

Then('{node} never reported the hostile peer\'s tags updated', function (this: SimulationWorld, name: string) {
  assert.deepEqual(eventsOf(this.node(name), 'peer_updated').filter((e) => e.event.peer === hostileOf(this).identity), []);
});

Then('{node} drops the hostile connection as a protocol violation', function (this: SimulationWorld, name: string) {
  this.within(1_000, 'the hostile connection is closed', () => hostileOf(this).state === 'closed');
  const rejected = eventsOf(this.node(name), 'peer_rejected').filter((e) => e.event.presented === hostileOf(this).identity);
  assert.deepEqual(rejected.map((e) => e.event.reason), ['protocol']);
});

Then('{node} learned none of the made-up peers', function (this: SimulationWorld, name: string) {
  assert.deepEqual(strangersKnownBy(this, name), []);
});

Then('{node} knows at most {int} peers throughout the next {duration}', function (this: SimulationWorld, name: string, bound: number, ms: number) {
  let peak = 0;
  this.network.runUntil(() => (peak = Math.max(peak, this.node(name).members().length)) < 0, ms);
  assert.ok(peak > 0 && peak <= bound, `${name} knew ${peak} peers`);
});

Then('within {duration} {node} has forgotten every made-up peer', function (this: SimulationWorld, withinMs: number, name: string) {
  this.poll(withinMs, 1_000, `${name} forgets the made-up peers`, () => strangersKnownBy(this, name).length === 0);
});
