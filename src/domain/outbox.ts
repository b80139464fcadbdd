import type { Address } from './address';
import type { Connection } from './connection';
import type { CloseReason, ConnectionId, Effect } from './effects';
import type { NodeEvent } from './events';
import type { Identity } from './identity';
import type { Message } from './messages';
import { noteSent } from './round-trip';

/**
 * The one way out of the protocol: every module pushes its effects here, in
 * order, and each public input returns them with `take`.
 */
export class Outbox {
  private effects: Effect[] = [];

  send(connection: Connection, message: Message, now: number): void {
    noteSent(connection, now);
    this.effects.push({ type: 'send', connection: connection.id, message });
  }

  close(connection: ConnectionId, reason: CloseReason): void {
    this.effects.push({ type: 'close', connection, reason });
  }

  dial(address: Address, expected: Identity | undefined): void {
    this.effects.push(expected === undefined ? { type: 'dial', address } : { type: 'dial', address, expected });
  }

  emit(event: NodeEvent): void {
    this.effects.push({ type: 'emit', event });
  }

  log(level: 'debug' | 'info' | 'warn', message: string, fields: Record<string, unknown>): void {
    this.effects.push({ type: 'log', level, message, fields });
  }

  remember(peer: Identity, address: Address, lastSeen: number): void {
    this.effects.push({ type: 'remember', peer, address, lastSeen });
  }

  forget(peer: Identity): void {
    this.effects.push({ type: 'forget', peer });
  }

  take(): Effect[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }
}
