import type { Address } from './address';
import type { ConnectionId } from './effects';
import type { Direction, RejectReason } from './events';
import type { Identity } from './identity';

/**
 * The connection types the protocol and the Transport port share (the port
 * re-exports them): what an authenticated connection is, why a dial failed,
 * how a connection closed; and the protocol's own record of a live one.
 */

/** A connection whose handshake proved the peer holds the key of `peer`. */
export interface AuthenticatedConnection {
  readonly id: ConnectionId;
  /** Proven by the handshake (SHA-256 of the certificate's public key), never claimed. */
  readonly peer: Identity;
  readonly direction: Direction;
  /** The IP address the connection comes from or goes to. */
  readonly remoteHost: string;
  /** For outbound connections: the address that was dialled. */
  readonly dialed?: Address;
}

/** Why a dial or an inbound connection failed before it was authenticated. */
export interface ConnectFailure {
  /** `unreachable` is not a rejection: nothing answered. The rest are rejections. */
  readonly reason: 'unreachable' | Exclude<RejectReason, 'identity_mismatch' | 'not_allowed'>;
  readonly detail: string;
  readonly presented?: Identity;
}

/** Why an authenticated connection closed. */
export interface CloseCause {
  /** `local`: we closed it. `protocol`: the peer broke the wire format. */
  readonly kind: 'local' | 'remote' | 'error' | 'protocol' | 'timeout';
  readonly detail: string;
}

/** The protocol's record of one authenticated connection. */
export interface Connection extends AuthenticatedConnection {
  readonly openedAt: number;
  /** Its hello arrived (and passed the checks). */
  hello: boolean;
  lastFrameAt: number;
  /** When frame number `framesSent` went out (the last one). */
  lastSentAt: number;
  /** When frame number `framesSent - 1` went out. */
  priorSentAt: number;
  /** Frames received and sent on it, hellos included: both ends number the frames alike (see round-trip.ts). */
  framesReceived: number;
  framesSent: number;
  /** When we last sent an echo on it. */
  echoedAt: number;
  /** Smoothed round trip, once measured. */
  rttMs: number | undefined;
  /**
   * The peer's hello digest matched ours when we had learned this many peers
   * (PeerTable.learned): it knows every peer we had learned by then. 0 when
   * the digests differed (or before the hello).
   */
  knowsLearned: number;
  /** We dialled it at a `--connect` address: the operator vouched for it, so its peer list is taken whole (see PeerExchange.merge). */
  toSeed: boolean;
}
