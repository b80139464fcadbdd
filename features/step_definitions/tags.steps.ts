import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { eventsOf } from '../support/node-events';
import type { SimulationWorld } from '../support/simulation-world';
import { expectConnectedWithTags, expectListedWithTags, expectUpdatedOnce, parseTags } from '../support/tag-expectations';

Given('node {node} starts with the tags {string}', async function (this: SimulationWorld, name: string, tags: string) {
  await this.start(name, { tags: parseTags(tags) });
});

Given('node {node} with the tags {string} joins through {node}', async function (this: SimulationWorld, name: string, tags: string, via: string) {
  await this.start(name, { tags: parseTags(tags), joinVia: [via] });
});

Given('node {node} with no tags joins through {node}', async function (this: SimulationWorld, name: string, via: string) {
  await this.start(name, { joinVia: [via] });
});

When('{node} changes its tags to {string}', function (this: SimulationWorld, name: string, tags: string) {
  this.mark(`tagged:${name}`);
  this.node(name).setTags(parseTags(tags));
});

Then('every other node saw {node} connect with the tags {string}', function (this: SimulationWorld, name: string, tags: string) {
  for (const node of this.network.running().filter((other) => other.name !== name)) expectConnectedWithTags(this, node.name, name, parseTags(tags));
});

Then('every other node saw {node} connect with no tags', function (this: SimulationWorld, name: string) {
  for (const node of this.network.running().filter((other) => other.name !== name)) expectConnectedWithTags(this, node.name, name, {});
});

Then('{node} saw {node} connect with the tags {string}', function (this: SimulationWorld, observer: string, name: string, tags: string) {
  expectConnectedWithTags(this, observer, name, parseTags(tags));
});

Then('within {duration} every other node reports {node} updated to the tags {string}, once', function (this: SimulationWorld, withinMs: number, name: string, tags: string) {
  const since = this.momentOf(`tagged:${name}`);
  const others = this.network.running().filter((other) => other.name !== name);
  const peer = this.node(name).identity;
  this.within(withinMs, `every node saw ${name}'s new tags`, () => others.every((node) => eventsOf(node, 'peer_updated', since).some(({ event }) => event.peer === peer)));
  expectUpdatedOnce(this, name, parseTags(tags), since);
});

Then('every other node lists {node} with the tags {string}', function (this: SimulationWorld, name: string, tags: string) {
  expectListedWithTags(this, name, parseTags(tags));
});

Then('no node reported {node} updated more than once', function (this: SimulationWorld, name: string) {
  const peer = this.node(name).identity;
  for (const node of this.network.running()) {
    const updates = eventsOf(node, 'peer_updated').filter(({ event }) => event.peer === peer);
    assert.ok(updates.length <= 1, `${node.name} reported ${name} updated ${updates.length} times`);
  }
});
