import assert from 'node:assert/strict';
import { parseTagAssignment, type Tags } from '../../src/domain/tags';
import { eventsOf } from './node-events';
import type { SimulationWorld } from './simulation-world';

/** "role=db zone=eu-1" as tags; "" is none. */
export function parseTags(text: string): Tags {
  const tags: Record<string, string> = {};
  for (const word of text.split(' ').filter((part) => part !== '')) {
    const assignment = parseTagAssignment(word);
    assert.ok(assignment, `not KEY=VALUE: ${word}`);
    tags[assignment.key] = assignment.value;
  }
  return tags;
}

/** `observer` reported `name` connected, every time with these tags. */
export function expectConnectedWithTags(world: SimulationWorld, observer: string, name: string, tags: Tags): void {
  const peer = world.node(name).identity;
  const connects = eventsOf(world.node(observer), 'peer_connected').filter(({ event }) => event.peer === peer);
  assert.ok(connects.length > 0, `${observer} never reported ${name} connected`);
  for (const { event } of connects) assert.deepEqual(event.tags, tags, `${observer} saw ${name} connect with other tags`);
}

/** Every running node but `name` reported `name`'s tags updated to `tags`, exactly once since `since`. */
export function expectUpdatedOnce(world: SimulationWorld, name: string, tags: Tags, since: number): void {
  const peer = world.node(name).identity;
  for (const node of world.network.running().filter((other) => other.name !== name)) {
    const updates = eventsOf(node, 'peer_updated', since).filter(({ event }) => event.peer === peer);
    assert.equal(updates.length, 1, `${node.name} reported ${name} updated ${updates.length} times`);
    assert.deepEqual(updates[0]?.event.tags, tags);
    assert.equal(updates[0]?.event.address, world.node(name).address);
  }
}

/** The members list of every running node but `name` shows `name` with these tags. */
export function expectListedWithTags(world: SimulationWorld, name: string, tags: Tags): void {
  const peer = world.node(name).identity;
  for (const node of world.network.running().filter((other) => other.name !== name)) {
    const member = node.members().find((candidate) => candidate.id === peer);
    assert.deepEqual(member?.tags, tags, `${node.name} lists ${name} with other tags`);
  }
}
