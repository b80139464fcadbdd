import type { Address } from './address';
import type { ConnectionId } from './effects';
import type { Identity } from './identity';

/**
 * - `candidate`: heard of in a peer list, never reached.
 * - `connected`: a connection to it has exchanged hellos.
 * - `disconnected`: reached before, not now; redialled with backoff.
 * - `left`: said goodbye; not redialled until it connects again.
 */
export type PeerState = 'candidate' | 'connected' | 'disconnected' | 'left';

/** What the protocol remembers of one peer. Mutable: owned by the protocol only. */
export interface Peer {
  readonly id: Identity;
  /** Where to dial it: from its own hello once reached, else from a peer list. */
  address: Address;
  state: PeerState;
  /** Ever connected (in this run, or remembered from a previous one). */
  verified: boolean;
  /** The connection in use, once hellos are exchanged. */
  connection: ConnectionId | undefined;
  /** Time of the last frame from it (or when it was learned or restored). */
  lastSeen: number;
  /** When its pin was last handed to the peer store. */
  rememberedAt: number;
  /** peer_dead was emitted for the current silence. */
  deadReported: boolean;
  /** Consecutive failed dials. */
  attempts: number;
  /** When to dial next; undefined when connected, left or a dial is under way. */
  nextDialAt: number | undefined;
  dialing: boolean;
}

/** A snapshot of one peer for hosts and people. */
export interface Member {
  readonly id: Identity;
  readonly address: Address;
  readonly state: PeerState;
  /** Epoch ms of the last frame received from it. */
  readonly lastSeen: number;
}
