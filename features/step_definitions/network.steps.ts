import { Given, When } from '@cucumber/cucumber';
import type { SimulationWorld } from '../support/simulation-world';

Given('the wire delays every segment by {duration}', function (this: SimulationWorld, latencyMs: number) {
  this.network.setLatency(latencyMs);
});

Given('the wire delays every segment by {duration} with up to {duration} of jitter', function (this: SimulationWorld, latencyMs: number, jitterMs: number) {
  this.network.setLatency(latencyMs, jitterMs);
});

Given('the wire loses {percent} of segments', function (this: SimulationWorld, rate: number) {
  this.network.setLoss(rate);
});

When('{duration} of simulated time pass', function (this: SimulationWorld, ms: number) {
  this.pass(ms);
});

When('the network splits into {nodes} and {nodes}', function (this: SimulationWorld, left: string[], right: string[]) {
  this.network.partition([left, right]);
  this.sides = [left, right];
  this.mark('split');
});

When('the split heals', function (this: SimulationWorld) {
  this.network.heal();
  this.mark('healed');
});
