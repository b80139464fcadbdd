import { injectable } from 'inversify';
import type { PeerStore, StoredPeer } from '../../application/ports/peer-store.port';

/** Without `--data-dir`, pins live as long as the process: nothing to load, nothing to write. */
@injectable()
export class MemoryPeerStore implements PeerStore {
  async load(): Promise<readonly StoredPeer[]> {
    return [];
  }

  remember(): void {}

  forget(): void {}

  async flush(): Promise<void> {}
}
