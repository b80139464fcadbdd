import type {
  AuthenticatedConnection,
  CloseCause,
  ConnectFailure,
  TransportHandlers,
} from '../../src/application/ports/transport.port';
import type { Address } from '../../src/domain/address';
import type { ConnectionId } from '../../src/domain/effects';
import type { Message } from '../../src/domain/messages';

export type TransportRecord =
  | { readonly type: 'connected'; readonly connection: AuthenticatedConnection }
  | { readonly type: 'dialFailed'; readonly address: Address; readonly failure: ConnectFailure }
  | { readonly type: 'rejected'; readonly remote: string; readonly failure: ConnectFailure }
  | { readonly type: 'message'; readonly connection: ConnectionId; readonly message: Message }
  | { readonly type: 'closed'; readonly connection: ConnectionId; readonly cause: CloseCause };

/**
 * Transport handlers that record every call in order, and catch a handler
 * called from inside a Transport method: every call the suite makes goes
 * through `call`, and a handler invoked meanwhile is a re-entrancy.
 */
export class TransportRecorder implements TransportHandlers {
  readonly records: TransportRecord[] = [];
  readonly reentrant: string[] = [];
  /** Runs on `connected`, as a host would (send a first message at once, for example). */
  onConnected: ((connection: AuthenticatedConnection) => void) | undefined;
  private inside = false;

  call<T>(run: () => T): T {
    this.inside = true;
    try {
      return run();
    } finally {
      this.inside = false;
    }
  }

  connected(connection: AuthenticatedConnection): void {
    this.record({ type: 'connected', connection });
    this.onConnected?.(connection);
  }

  dialFailed(address: Address, failure: ConnectFailure): void {
    this.record({ type: 'dialFailed', address, failure });
  }

  rejected(remote: string, failure: ConnectFailure): void {
    this.record({ type: 'rejected', remote, failure });
  }

  message(connection: ConnectionId, message: Message): void {
    this.record({ type: 'message', connection, message });
  }

  closed(connection: ConnectionId, cause: CloseCause): void {
    this.record({ type: 'closed', connection, cause });
  }

  connections(): AuthenticatedConnection[] {
    return this.records.flatMap((record) => (record.type === 'connected' ? [record.connection] : []));
  }

  closes(connection: ConnectionId): CloseCause[] {
    return this.records.flatMap((record) => (record.type === 'closed' && record.connection === connection ? [record.cause] : []));
  }

  messages(connection: ConnectionId): Message[] {
    return this.records.flatMap((record) => (record.type === 'message' && record.connection === connection ? [record.message] : []));
  }

  dialFailures(): ConnectFailure[] {
    return this.records.flatMap((record) => (record.type === 'dialFailed' ? [record.failure] : []));
  }

  private record(record: TransportRecord): void {
    if (this.inside) this.reentrant.push(record.type);
    this.records.push(record);
  }
}
