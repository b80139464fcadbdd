import { Given, When } from '@cucumber/cucumber';
import type { SimulationWorld } from '../support/simulation-world';

Given('a chain of {int} nodes started {duration} apart, each joining through the one before it', async function (this: SimulationWorld, count: number, gapMs: number) {
  await this.startChain(count, gapMs);
});

Given('a full mesh of {int} nodes', async function (this: SimulationWorld, count: number) {
  await this.startFullMesh(count);
});

Given('node {node} pings every {duration}', async function (this: SimulationWorld, name: string, periodMs: number) {
  await this.start(name, { timings: { periodMs } });
});

Given('node {node} pings every {duration} and joins through {node}', async function (this: SimulationWorld, name: string, periodMs: number, via: string) {
  await this.start(name, { timings: { periodMs }, joinVia: [via] });
});

When('node {node} joins through {node} on {node}\'s side of the split', async function (this: SimulationWorld, name: string, via: string, side: string) {
  await this.start(name, { joinVia: [via], sideOf: side });
});

When('{node} and {node} start at the same moment, each joining through the other', async function (this: SimulationWorld, first: string, second: string) {
  await this.network.addNodes([{ name: first, joinVia: [second] }, { name: second, joinVia: [first] }]);
});

When('node {node} starts with a key of her own at {node}\'s address', async function (this: SimulationWorld, name: string, owner: string) {
  await this.start(name, { at: owner });
});

When('{node} is killed', function (this: SimulationWorld, name: string) {
  this.network.kill(name);
  this.mark(`killed:${name}`);
});

When('{node} restarts with the same key at the same address', async function (this: SimulationWorld, name: string) {
  await this.network.restart(name);
  this.mark(`restarted:${name}`);
});

When('{node} stops gracefully', async function (this: SimulationWorld, name: string) {
  this.noteDialsTo(name);
  await this.network.stop(name);
  this.mark(`stopped:${name}`);
});
