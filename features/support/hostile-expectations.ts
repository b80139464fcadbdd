import assert from 'node:assert/strict';
import type { RawConnection } from '../../src/adapters/simulation/raw-connection';
import { SIMULATED_PORT } from '../../src/adapters/simulation/simulated-network';
import type { Identity } from '../../src/domain/identity';
import { eventsOf } from './node-events';
import type { SimulationWorld } from './simulation-world';

/** A raw participant with a key of its own dials `target` and says a proper hello; `target` accepts it. */
export function hostileHandshake(world: SimulationWorld, target: string): RawConnection {
  const hostile = world.network.rawConnection('Trudy', target);
  world.within(1_000, 'the hostile connection opens', () => hostile.state === 'open');
  hostile.send({ v: 1, t: 'hello', id: hostile.identity, port: SIMULATED_PORT, digest: '0000000000000000' });
  const accepted = (): boolean => eventsOf(world.node(target), 'peer_connected').some((e) => e.event.peer === hostile.identity);
  world.within(1_000, `${target} accepts the hostile peer`, accepted);
  world.hostile = hostile;
  return hostile;
}

export function hostileOf(world: SimulationWorld): RawConnection {
  assert.ok(world.hostile, 'no hostile peer in this scenario');
  return world.hostile;
}

/** The identities a node knows besides the simulated nodes and the hostile peer itself. */
export function strangersKnownBy(world: SimulationWorld, name: string): Identity[] {
  const legitimate = new Set<Identity>(world.network.nodes().map((node) => node.identity));
  legitimate.add(hostileOf(world).identity);
  return world.node(name).members().map((member) => member.id).filter((id) => !legitimate.has(id));
}
