import assert from 'node:assert/strict';
import { Then } from '@cucumber/cucumber';
import { expectDeadOnlyAfterSilence, expectEveryOtherReports, expectNoRunningNodeDead, othersOf } from '../support/failure-expectations';
import { eventsOf } from '../support/node-events';
import type { SimulationWorld } from '../support/simulation-world';

Then('every other running node reports {node} disconnected within {duration}', function (this: SimulationWorld, name: string, withinMs: number) {
  expectEveryOtherReports(this, name, 'peer_disconnected', this.momentOf(`killed:${name}`), withinMs);
});

Then('every other running node reports {node} dead within {duration} plus one heartbeat of its death', function (this: SimulationWorld, name: string, deadAfterMs: number) {
  const heartbeatMs = this.node(name).settings.heartbeatIntervalMs;
  expectEveryOtherReports(this, name, 'peer_dead', this.momentOf(`killed:${name}`), deadAfterMs + heartbeatMs);
  expectDeadOnlyAfterSilence(this, name);
});

Then('no running node was ever reported dead', function (this: SimulationWorld) {
  expectNoRunningNodeDead(this);
});

Then('no running node was reported dead after the split healed', function (this: SimulationWorld) {
  expectNoRunningNodeDead(this, this.momentOf('healed'));
});

Then('every node on each side reports every node of the other side dead', function (this: SimulationWorld) {
  const [left, right] = this.sides;
  for (const [side, far] of [[left, right], [right, left]] as const) {
    for (const name of side) {
      const dead = new Set(eventsOf(this.node(name), 'peer_dead', this.momentOf('split')).map((e) => e.event.peer));
      assert.deepEqual(far.filter((other) => !dead.has(this.node(other).identity)), [], `${name} did not report them dead`);
    }
  }
});

Then('every other running node reconnected to {node} under the identity it had before', function (this: SimulationWorld, name: string) {
  const node = this.node(name);
  const listening = eventsOf(node, 'listening').map((e) => e.event.id);
  assert.deepEqual(listening, [node.identity, node.identity], `${name} changed identity on restart`);
  for (const other of othersOf(this, name)) {
    const back = eventsOf(other, 'peer_connected', this.momentOf(`restarted:${name}`)).filter((e) => e.event.peer === node.identity);
    assert.ok(back.some((e) => e.event.reconnect), `${other.name} did not report ${name} reconnected`);
  }
});

Then('every other running node reports {node} left within {duration}', function (this: SimulationWorld, name: string, withinMs: number) {
  expectEveryOtherReports(this, name, 'peer_left', this.momentOf(`stopped:${name}`), withinMs);
});

Then('no running node reported {node} dead or dialled it after it left', function (this: SimulationWorld, name: string) {
  const peer = this.node(name).identity;
  for (const node of othersOf(this, name)) assert.deepEqual(eventsOf(node, 'peer_dead').filter((e) => e.event.peer === peer), []);
  assert.equal(this.dialsToSinceNoted(name), 0, `${name} was dialled after it left`);
});
