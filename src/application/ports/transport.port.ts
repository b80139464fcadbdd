import type { Address, HostPort } from '../../domain/address';
import type { ConnectionId } from '../../domain/effects';
import type { Direction, RejectReason } from '../../domain/events';
import type { Identity } from '../../domain/identity';
import type { Message } from '../../domain/messages';
import type { NodeCredentials } from './key-store.port';

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

/**
 * Callbacks from the transport. Each is called on the event loop, never
 * re-entrantly from inside a Transport method.
 */
export interface TransportHandlers {
  /** Called once per connection, before any message on it. */
  connected(connection: AuthenticatedConnection): void;
  /** A dial ended without an authenticated connection. */
  dialFailed(address: Address, failure: ConnectFailure): void;
  /** An inbound connection failed its handshake (garbage, wrong network key, silence). */
  rejected(remote: string, failure: ConnectFailure): void;
  /** A message that passed the wire codec's checks, in order per connection. */
  message(connection: ConnectionId, message: Message): void;
  /** Called exactly once per connected connection, whoever closed it. */
  closed(connection: ConnectionId, cause: CloseCause): void;
}

export interface ListenOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Who we are: used for every connection, accepted or dialled. */
  readonly credentials: NodeCredentials;
}

export const Transport = Symbol('Transport');

/**
 * Connections that carry messages between authenticated peers.
 * Delivery is reliable and ordered per connection while it is open; `send` is
 * best-effort in that it never blocks or throws: a message for a closed
 * connection is dropped, and a peer that does not read is disconnected
 * rather than buffered without bound.
 */
export interface Transport {
  /** Resolves once peers can connect, with the address actually bound. Rejects if it cannot bind. */
  listen(options: ListenOptions, handlers: TransportHandlers): Promise<HostPort>;
  /** Starts a dial. Never throws; the outcome arrives as `connected` or `dialFailed`. */
  dial(address: Address): void;
  send(connection: ConnectionId, message: Message): void;
  /** Closes after flushing what was already sent; `closed` follows. Idempotent. */
  close(connection: ConnectionId): void;
  /** Stops listening and closes every connection, giving queued frames a bounded time to flush. */
  shutdown(): Promise<void>;
}
