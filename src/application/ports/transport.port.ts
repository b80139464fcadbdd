import type { Address, HostPort } from '../../domain/address';
import type { AuthenticatedConnection, CloseCause, ConnectFailure } from '../../domain/connection';
import type { ConnectionId } from '../../domain/effects';
import type { Message } from '../../domain/messages';
import type { NodeCredentials } from './key-store.port';

export type { AuthenticatedConnection, CloseCause, ConnectFailure } from '../../domain/connection';

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
