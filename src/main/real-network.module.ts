import { ContainerModule } from 'inversify';
import { Clock } from '../application/ports/clock.port';
import { KeyStore } from '../application/ports/key-store.port';
import { PeerStore } from '../application/ports/peer-store.port';
import { Random } from '../application/ports/random.port';
import { Transport } from '../application/ports/transport.port';
import { FileKeyStore, FileKeyStoreOptions } from '../adapters/keys/file-key-store';
import { readNetworkKey } from '../adapters/keys/key-files';
import { FilePeerStore, PeerStoreDirectory } from '../adapters/store/file-peer-store';
import { MemoryPeerStore } from '../adapters/store/memory-peer-store';
import { SystemClock } from '../adapters/system/system-clock';
import { SystemRandom } from '../adapters/system/system-random';
import { TlsTransport, TlsTransportOptions } from '../adapters/tls/tls-transport';
import type { NodeConfig } from './config';

/** The options the real network's adapters read. */
export type RealNetworkConfig = Pick<NodeConfig, 'key' | 'cert' | 'dataDir' | 'networkKey'>;

/**
 * The real network: mutual TLS, keys from files or the data dir, the system
 * clock, and a file peer store with `dataDir` (pins in memory without).
 * Output and logger are the caller's (the terminal, or an embedding host).
 * A host's own adapter replaces one of these by rebinding its port.
 */
export function realNetworkModule(config: RealNetworkConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    // Read when the transport is built: a host that brings its own transport needs no network-key file.
    bind(TlsTransportOptions).toResolvedValue(
      (): TlsTransportOptions => ({ networkKey: config.networkKey === undefined ? undefined : [config.networkKey].flat().map(readNetworkKey) }),
    );
    bind(Transport).to(TlsTransport).inSingletonScope();
    const files = config.key !== undefined && config.cert !== undefined ? { keyPath: config.key, certPath: config.cert } : {};
    bind<FileKeyStoreOptions>(FileKeyStoreOptions).toConstantValue({ ...files, dataDir: config.dataDir });
    bind(KeyStore).to(FileKeyStore).inSingletonScope();
    if (config.dataDir === undefined) {
      bind(PeerStore).to(MemoryPeerStore).inSingletonScope();
    } else {
      bind(PeerStoreDirectory).toConstantValue(config.dataDir);
      bind(PeerStore).to(FilePeerStore).inSingletonScope();
    }
    bind(Clock).to(SystemClock).inSingletonScope();
    bind(Random).to(SystemRandom).inSingletonScope();
  });
}
