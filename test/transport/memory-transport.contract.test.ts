import { FakeClock } from '../../src/adapters/simulation/fake-clock';
import { MemoryNetwork } from '../../src/adapters/simulation/memory-network';
import { MemoryTransport } from '../../src/adapters/simulation/memory-transport';
import { NetworkConditions } from '../../src/adapters/simulation/network-conditions';
import { SeededRandom } from '../../src/adapters/simulation/seeded-random';
import { SimulatedKeyStore } from '../../src/adapters/simulation/simulated-key-store';
import { type Address, formatAddress } from '../../src/domain/address';
import { type TransportHarness, transportContract } from './transport-contract';

interface Wire {
  readonly latencyMs: number;
  readonly jitterMs: number;
  readonly loss: number;
}

const DIAL_TIMEOUT_MS = 5_000;

/** The in-memory world: one fake clock, one simulated wire, a machine per transport. */
function memoryHarness(wire: Wire): () => Promise<TransportHarness> {
  return async () => {
    const clock = new FakeClock();
    const conditions = new NetworkConditions(SeededRandom.derive(7, 'contract'));
    conditions.setLatency(wire.latencyMs, wire.jitterMs);
    conditions.setLoss(wire.loss);
    const network = new MemoryNetwork(clock, conditions, DIAL_TIMEOUT_MS);
    let machines = 0;
    const nextHost = (): string => `10.1.0.${++machines}`;
    return {
      async listen(recorder) {
        const transport = new MemoryTransport(network, nextHost());
        const credentials = await new SimulatedKeyStore(7, transport.host).load();
        const bound = await transport.listen({ host: transport.host, port: 0, credentials }, recorder);
        return { transport, identity: credentials.identity, address: formatAddress(bound.host, bound.port) };
      },
      async refusingAddress(): Promise<Address> {
        const host = nextHost();
        network.addMachine(host);
        return formatAddress(host, 9);
      },
      async silentAddress(): Promise<Address> {
        const host = nextHost();
        network.silence(host, 9);
        return formatAddress(host, 9);
      },
      async settle(predicate, deadlineMs) {
        return clock.runUntil(predicate, deadlineMs).met;
      },
      now: () => clock.now(),
      dialTimeoutMs: DIAL_TIMEOUT_MS,
      stepDeadlineMs: 10_000,
      async dispose() {},
    };
  };
}

transportContract('memory transport, instant wire', memoryHarness({ latencyMs: 0, jitterMs: 0, loss: 0 }));
transportContract('memory transport, jittery lossy wire', memoryHarness({ latencyMs: 20, jitterMs: 30, loss: 0.3 }));
