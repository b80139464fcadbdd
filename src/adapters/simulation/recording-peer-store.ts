import { injectable } from 'inversify';
import type { PeerStore, StoredPeer } from '../../application/ports/peer-store.port';
import type { Identity } from '../../domain/identity';

/**
 * The simulation's peer store: starts empty like a node without `--data-dir`,
 * and keeps the pins it is handed so that scenarios can check what a node
 * would have written to `peers.json`.
 */
@injectable()
export class RecordingPeerStore implements PeerStore {
  private readonly pins = new Map<Identity, StoredPeer>();

  async load(): Promise<readonly StoredPeer[]> {
    return [];
  }

  remember(peer: StoredPeer): void {
    this.pins.set(peer.id, peer);
  }

  forget(id: Identity): void {
    this.pins.delete(id);
  }

  async flush(): Promise<void> {}

  /** The identities a real store would hold now. */
  pinned(): Identity[] {
    return [...this.pins.keys()];
  }
}
