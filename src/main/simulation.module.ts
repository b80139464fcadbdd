import { ContainerModule } from 'inversify';
import { Clock } from '../application/ports/clock.port';
import { KeyStore } from '../application/ports/key-store.port';
import { Logger } from '../application/ports/logger.port';
import { Output } from '../application/ports/output.port';
import { PeerStore } from '../application/ports/peer-store.port';
import { Random } from '../application/ports/random.port';
import { Transport } from '../application/ports/transport.port';
import type { SimulatedNodeAdapters } from '../adapters/simulation/simulated-node';
import { SimulatedNetwork, type SimulatedNetworkOptions } from '../adapters/simulation/simulated-network';
import { createMembershipNode } from './node-container';

/** The simulation's adapter set for one simulated process: the in-memory wire, fake time, recorded output. */
export function simulationModule(adapters: SimulatedNodeAdapters): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Transport).toConstantValue(adapters.transport);
    bind(Clock).toConstantValue(adapters.clock);
    bind(Random).toConstantValue(adapters.random);
    bind(KeyStore).toConstantValue(adapters.keyStore);
    bind(Output).toConstantValue(adapters.output);
    bind(Logger).toConstantValue(adapters.logger);
    bind(PeerStore).toConstantValue(adapters.peerStore);
  });
}

/** A simulated network whose nodes run the real application and protocol on the simulation's adapters. */
export function createSimulatedNetwork(options: Omit<SimulatedNetworkOptions, 'createApp'>): SimulatedNetwork {
  return new SimulatedNetwork({
    ...options,
    createApp: (settings, adapters) => createMembershipNode(settings, simulationModule(adapters)),
  });
}
