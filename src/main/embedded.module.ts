import { ContainerModule } from 'inversify';
import { Clock } from '../application/ports/clock.port';
import { KeyStore } from '../application/ports/key-store.port';
import { Logger } from '../application/ports/logger.port';
import { Output } from '../application/ports/output.port';
import { PeerStore } from '../application/ports/peer-store.port';
import { Random } from '../application/ports/random.port';
import { Transport } from '../application/ports/transport.port';
import { LevelFilterLogger, UnfilteredLogger } from '../adapters/logging/level-filter-logger';
import { LogLevel } from '../adapters/logging/log-level';
import type { NodeAdapters } from './embedding-input';
import { silentLogger } from './silent-logger';

/**
 * An embedded node's events and logs go to its host: events to `events` (the
 * GossipNode's listeners, after the host's Output adapter), log records at
 * `logLevel` and above to the host's logger, or nowhere without one.
 */
export function embeddedModule(logLevel: LogLevel, events: Output): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Output).toConstantValue(events);
    bind<LogLevel>(LogLevel).toConstantValue(logLevel);
    bind<Logger>(UnfilteredLogger).toConstantValue(silentLogger);
    bind(Logger).to(LevelFilterLogger).inSingletonScope();
  });
}

/**
 * The host's own adapters, each rebinding the port an earlier module bound.
 * The logger becomes the level filter's input; the output adapter is called
 * by the GossipNode itself (it adds to the listeners, it does not replace them).
 */
export function hostAdaptersModule(adapters: Partial<NodeAdapters>): ContainerModule {
  return new ContainerModule(({ rebind }) => {
    if (adapters.transport) rebind<Transport>(Transport).toConstantValue(adapters.transport);
    if (adapters.clock) rebind<Clock>(Clock).toConstantValue(adapters.clock);
    if (adapters.random) rebind<Random>(Random).toConstantValue(adapters.random);
    if (adapters.keyStore) rebind<KeyStore>(KeyStore).toConstantValue(adapters.keyStore);
    if (adapters.peerStore) rebind<PeerStore>(PeerStore).toConstantValue(adapters.peerStore);
    if (adapters.logger) rebind<Logger>(UnfilteredLogger).toConstantValue(adapters.logger);
  });
}
