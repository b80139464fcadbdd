import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { RawConnection } from '../../src/adapters/simulation/raw-connection';
import { SIMULATED_PORT } from '../../src/adapters/simulation/simulated-network';
import type { Identity } from '../../src/domain/identity';
import type { SimulationWorld } from '../support/simulation-world';

/** The strangers of this scenario, by world. */
const strangers = new WeakMap<SimulationWorld, Identity[]>();

function strangersOf(world: SimulationWorld): Identity[] {
  const list = strangers.get(world) ?? [];
  strangers.set(world, list);
  return list;
}

/** A raw participant with a fresh key dials `target` and says hello; resolves once `target` has it connected. */
function stranger(world: SimulationWorld, index: number, target: string): RawConnection {
  const raw = world.network.rawConnection(`Stranger${index}`, target);
  world.within(1_000, `stranger ${index} opens a connection`, () => raw.state === 'open');
  raw.send({ v: 1, t: 'hello', id: raw.identity, port: SIMULATED_PORT, digest: '0000000000000000' });
  strangersOf(world).push(raw.identity);
  const node = world.node(target);
  world.within(1_000, `${target} connects stranger ${index}`, () => node.members().some((m) => m.id === raw.identity && m.state === 'connected') || raw.state !== 'open');
  return raw;
}

function knownStrangers(world: SimulationWorld, name: string): Identity[] {
  const all = new Set(strangersOf(world));
  return world.node(name).members().map((m) => m.id).filter((id) => all.has(id));
}

When('{int} strangers with keys of their own say hello to {node} and vanish, {int} a second', function (this: SimulationWorld, count: number, target: string, perSecond: number) {
  const gapMs = 1_000 / perSecond;
  for (let index = 0; index < count; index += 1) {
    const started = this.now();
    stranger(this, index, target).close();
    const spent = this.now() - started;
    if (spent < gapMs) this.pass(gapMs - spent);
  }
});

When('{int} strangers with keys of their own say hello to {node} and stay', function (this: SimulationWorld, count: number, target: string) {
  for (let index = 0; index < count; index += 1) stranger(this, index, target);
});

Given('node {node} with room for {int} peers joins through {node}', async function (this: SimulationWorld, name: string, maxPeers: number, via: string) {
  await this.start(name, { joinVia: [via], timings: { tuning: { maxPeers } } });
});

Then('{node} pinned none of the strangers', function (this: SimulationWorld, name: string) {
  const all = new Set(strangersOf(this));
  assert.ok(all.size > 0);
  assert.deepEqual(this.node(name).process.adapters.peerStore.pinned().filter((id) => all.has(id)), []);
});

Then('after {duration} {node} has pinned {node}', function (this: SimulationWorld, ms: number, name: string, pinned: string) {
  this.pass(ms);
  assert.ok(this.node(name).process.adapters.peerStore.pinned().includes(this.node(pinned).identity), `${name} has no pin of ${pinned}`);
});

Then('within {duration} {node} has forgotten every stranger', function (this: SimulationWorld, withinMs: number, name: string) {
  this.poll(withinMs, 1_000, `${name} forgets the strangers`, () => knownStrangers(this, name).length === 0);
});

Then('{node} learned none of the strangers', function (this: SimulationWorld, name: string) {
  assert.deepEqual(knownStrangers(this, name), []);
});

Then('{node} still has {nodes} connected', function (this: SimulationWorld, name: string, others: string[]) {
  const connected = this.connectedMembers(this.node(name));
  for (const other of others) assert.ok(connected.has(this.node(other).identity), `${name} lost ${other}`);
});

When('node {node} joins through {node}', async function (this: SimulationWorld, name: string, via: string) {
  await this.start(name, { joinVia: [via] });
});
