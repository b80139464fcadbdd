import assert from 'node:assert/strict';
import { eventsOf } from './node-events';
import type { SimulationWorld } from './simulation-world';

/**
 * Every running node got the pings of every other, as many as the sender's
 * period allows since `since`, each exactly one period after the last (the
 * wire's delay is constant in these scenarios, so arrival spacing is send spacing).
 */
export function expectPingsAtSendersPeriod(world: SimulationWorld, since: number): void {
  const nodes = world.network.running();
  for (const receiver of nodes) {
    for (const sender of nodes.filter((node) => node !== receiver)) {
      const period = sender.settings.periodMs;
      const arrivals = eventsOf(receiver, 'ping_received', since).filter((e) => e.event.peer === sender.identity).map((e) => e.at);
      const expected = Math.floor((world.now() - since) / period);
      const route = `${sender.name} → ${receiver.name}`;
      assert.ok(arrivals.length >= expected - 1 && arrivals.length <= expected + 1, `${route}: ${arrivals.length} pings, expected about ${expected}`);
      const gaps = arrivals.slice(1).map((at, index) => at - (arrivals[index] as number));
      assert.deepEqual(gaps.filter((gap) => Math.abs(gap - period) > 1e-6), [], `${route}: pings not ${period} ms apart`);
    }
  }
}

/** Every ping round since `since` was sent to `peers` peers. */
export function expectPingRoundsReach(world: SimulationWorld, peers: number, since: number): void {
  for (const node of world.network.running()) {
    const rounds = eventsOf(node, 'ping_sent', since);
    assert.ok(rounds.length > 0, `${node.name} sent no ping`);
    assert.deepEqual(rounds.filter((round) => round.event.peers !== peers), [], `${node.name} pinged other than ${peers} peers`);
  }
}
