import assert from 'node:assert/strict';
import type { SimulatedNode } from '../../src/adapters/simulation/simulated-node';
import { eventsOf } from './node-events';
import type { SimulationWorld } from './simulation-world';

/** Nodes other than `name` that are running. */
export function othersOf(world: SimulationWorld, name: string): SimulatedNode[] {
  return world.network.running().filter((node) => node.name !== name);
}

/** Every other running node emits `event` about `name` within `withinMs` of `since`; returns when each did. */
export function expectEveryOtherReports(
  world: SimulationWorld,
  name: string,
  event: 'peer_disconnected' | 'peer_dead' | 'peer_left',
  since: number,
  withinMs: number,
): void {
  const peer = world.node(name).identity;
  const reported = (node: SimulatedNode): boolean => eventsOf(node, event, since).some((e) => e.event.peer === peer);
  const deadline = since + withinMs - world.now();
  world.within(Math.max(0, deadline), `every other node reports ${name} ${event}`, () => othersOf(world, name).every(reported));
}

/** No `peer_dead` (since `since`) names a node that is running now. */
export function expectNoRunningNodeDead(world: SimulationWorld, since = Number.NEGATIVE_INFINITY): void {
  const running = new Map(world.network.running().map((node) => [node.identity, node.name]));
  for (const node of world.network.nodes()) {
    const wrongly = eventsOf(node, 'peer_dead', since).filter((e) => running.has(e.event.peer));
    assert.deepEqual(
      wrongly.map((e) => `${new Date(e.at).toISOString()} ${node.name} reported ${running.get(e.event.peer)} dead`),
      [],
      'a running node was reported dead',
    );
  }
}

/** Every `peer_dead` about `name` came after at least `deadAfterMs` of silence. */
export function expectDeadOnlyAfterSilence(world: SimulationWorld, name: string): void {
  const peer = world.node(name).identity;
  for (const node of othersOf(world, name)) {
    for (const { event } of eventsOf(node, 'peer_dead').filter((e) => e.event.peer === peer)) {
      assert.ok(event.silentMs >= node.settings.deadAfterMs, `${node.name} reported ${name} dead after ${event.silentMs} ms of silence`);
    }
  }
}
