import { ContainerModule } from 'inversify';
import { Clock } from '../application/ports/clock.port';
import { KeyStore } from '../application/ports/key-store.port';
import { Logger } from '../application/ports/logger.port';
import { Output } from '../application/ports/output.port';
import { PeerStore } from '../application/ports/peer-store.port';
import { Random } from '../application/ports/random.port';
import { Transport } from '../application/ports/transport.port';
import { FileKeyStore } from '../adapters/keys/file-key-store';
import { readNetworkKey } from '../adapters/keys/key-files';
import { FilePeerStore } from '../adapters/store/file-peer-store';
import { MemoryPeerStore } from '../adapters/store/memory-peer-store';
import { SystemClock } from '../adapters/system/system-clock';
import { SystemRandom } from '../adapters/system/system-random';
import { TlsTransport } from '../adapters/tls/tls-transport';
import type { NodeConfig } from './config';

/** Adapters a host may bring instead of ours (see createNode). */
export interface NodeAdapters {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly random: Random;
  readonly keyStore: KeyStore;
  readonly output: Output;
  readonly peerStore: PeerStore;
  readonly logger: Logger;
}

/**
 * The real network: mutual TLS, keys from files or the data dir, the system
 * clock, and a file peer store with `dataDir`. Any adapter given in
 * `overrides` replaces ours; output and logger have no default here.
 */
export function realNetworkModule(
  config: NodeConfig,
  adapters: Pick<NodeAdapters, 'output' | 'logger'> & Partial<NodeAdapters>,
): ContainerModule {
  const { logger } = adapters;
  return new ContainerModule(({ bind }) => {
    bind(Logger).toConstantValue(logger);
    bind(Output).toConstantValue(adapters.output);
    bind(Transport).toConstantValue(
      adapters.transport ?? new TlsTransport({ networkKey: config.networkKey === undefined ? undefined : [config.networkKey].flat().map(readNetworkKey) }, logger),
    );
    const files = config.key !== undefined && config.cert !== undefined ? { keyPath: config.key, certPath: config.cert } : {};
    bind(KeyStore).toConstantValue(adapters.keyStore ?? new FileKeyStore({ ...files, dataDir: config.dataDir }));
    bind(PeerStore).toConstantValue(adapters.peerStore ?? (config.dataDir === undefined ? new MemoryPeerStore() : new FilePeerStore(config.dataDir)));
    bind(Clock).toConstantValue(adapters.clock ?? new SystemClock());
    bind(Random).toConstantValue(adapters.random ?? new SystemRandom());
  });
}
