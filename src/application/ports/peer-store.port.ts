import type { Identity } from '../../domain/identity';
import type { StoredPeer } from '../../domain/peer';

/** A pin: this identity was reached at this address, last seen then (the domain's type). */
export type { StoredPeer } from '../../domain/peer';

export const PeerStore = Symbol('PeerStore');

/**
 * Pins and addresses that outlive the process. `remember` and `forget` only
 * record the change; `flush` makes every recorded change durable and is
 * crash-safe (a crash leaves the old or the new state, never a torn one).
 */
export interface PeerStore {
  /** Rejects with a PeerStoreError naming the file if the store exists but cannot be read. */
  load(): Promise<readonly StoredPeer[]>;
  remember(peer: StoredPeer): void;
  forget(id: Identity): void;
  flush(): Promise<void>;
}
