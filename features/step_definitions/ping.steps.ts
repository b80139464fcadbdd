import { Then } from '@cucumber/cucumber';
import { expectPingRoundsReach, expectPingsAtSendersPeriod } from '../support/ping-expectations';
import type { SimulationWorld } from '../support/simulation-world';

Then('every node received the pings of every other node, spaced by the sender\'s own period', function (this: SimulationWorld) {
  expectPingsAtSendersPeriod(this, this.momentOf('meshed'));
});

Then('every ping round of each node reached its {int} peers', function (this: SimulationWorld, peers: number) {
  expectPingRoundsReach(this, peers, this.momentOf('meshed'));
});
