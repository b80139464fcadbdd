import type { Address } from './address';
import type { ConnectionId } from './effects';
import type { Identity } from './identity';
import type { Tags } from './tags';

/**
 * Owns: the states of a peer and which transitions between them are allowed
 * (the one transition table; PeerTable.move is the only writer of `status`).
 *
 * - `candidate`: heard of in a peer list, never reached.
 * - `connected`: a connection to it has exchanged hellos.
 * - `disconnected`: reached before (in this run or an earlier one), not now; redialled with backoff.
 * - `left`: said goodbye; not redialled until it connects again.
 */
export type PeerState = 'candidate' | 'connected' | 'disconnected' | 'left';

/**
 * What the failure detector still owes a disconnected peer:
 * `watching` (peer_dead is due after deadAfter of silence), `reported`
 * (peer_dead was emitted for this silence), `earlier-run` (restored from the
 * store: its silence began before this run, so there is nothing to report).
 */
export type DeathWatch = 'watching' | 'reported' | 'earlier-run';

export interface CandidateStatus {
  readonly state: 'candidate';
  /** Consecutive failed dials. */
  attempts: number;
  /** When to dial next; undefined while a dial is under way. */
  nextDialAt: number | undefined;
}

export interface ConnectedStatus {
  readonly state: 'connected';
  /** The connection in use (hellos exchanged). */
  connection: ConnectionId;
}

export interface DisconnectedStatus {
  readonly state: 'disconnected';
  attempts: number;
  nextDialAt: number | undefined;
  deathWatch: DeathWatch;
}

export interface LeftStatus {
  readonly state: 'left';
}

export type PeerStatus = CandidateStatus | ConnectedStatus | DisconnectedStatus | LeftStatus;

/** The states a peer may move to from each state; everything else is a bug. */
export const PEER_TRANSITIONS: Readonly<Record<PeerState, readonly PeerState[]>> = {
  candidate: ['connected'],
  connected: ['disconnected', 'left'],
  disconnected: ['connected', 'left'],
  left: ['connected'],
};

export function canMove(from: PeerState, to: PeerState): boolean {
  return PEER_TRANSITIONS[from].includes(to);
}

/** What the protocol remembers of one peer. Mutable: owned by the protocol only. */
export interface Peer {
  readonly id: Identity;
  /** Where to dial it: from its own hello once reached, else from a peer list. */
  address: Address;
  /** Time of the last frame from it (or when it was learned or restored). */
  lastSeen: number;
  /** When its pin was last handed to the peer store. */
  rememberedAt: number;
  /**
   * A dial expecting this identity is in flight. Not part of the state: an
   * inbound connection can complete while our own dial is still out.
   */
  dialing: boolean;
  status: PeerStatus;
  /** Stayed connected long enough to earn a pin, a place in lists passed on and long redialling (admission-policy.ts). */
  established: boolean;
  /** When its current (or last) connection passed its hello. */
  connectedAt: number;
  /**
   * The address at which this identity was really reached: we dialled it
   * there, it was established there, or the store had it there. An address
   * only claimed (a hello, a peer list) is not. See Pinning.
   */
  reachedAt: Address | undefined;
  /** Its tags, from its last hello or `tags` message; none until reached. */
  tags: Tags;
  /** Its place in the order in which this node learned its peers (PeerTable.learned counts them). */
  readonly learnedAs: number;
}

export type ConnectedPeer = Peer & { status: ConnectedStatus };

export function isConnected(peer: Peer): peer is ConnectedPeer {
  return peer.status.state === 'connected';
}

/** Ever connected (in this run, or remembered from a previous one): every state but `candidate`. */
export function everReached(peer: Peer): boolean {
  return peer.status.state !== 'candidate';
}

/** Redial bookkeeping of a peer that may be redialled (candidate or disconnected), else undefined. */
export function dialStatus(peer: Peer): CandidateStatus | DisconnectedStatus | undefined {
  const status = peer.status;
  return status.state === 'candidate' || status.state === 'disconnected' ? status : undefined;
}

/** A peer remembered from a previous run (a pin): this identity was reached at this address, last seen then. */
export interface StoredPeer {
  readonly id: Identity;
  readonly address: Address;
  readonly lastSeen: number;
}

/** A snapshot of one peer for hosts and people. */
export interface Member {
  readonly id: Identity;
  readonly address: Address;
  readonly state: PeerState;
  /** Epoch ms of the last frame received from it. */
  readonly lastSeen: number;
  readonly tags: Tags;
  /** Smoothed round trip over its connection while connected, once measured; else undefined. */
  readonly rttMs: number | undefined;
}
