import type { Address } from './address';
import type { NodeEvent } from './events';
import type { Identity } from './identity';
import type { Message } from './messages';

/** The transport's handle for one connection; opaque to the domain. */
export type ConnectionId = string;

/** Why the protocol closes a connection; `duplicate` and `leaving` are quiet. */
export type CloseReason = 'duplicate' | 'dead' | 'rejected' | 'protocol' | 'timeout' | 'leaving';

/** Dial `address`; when `expected` is set, the node there must present that identity. */
export interface DialEffect {
  readonly type: 'dial';
  readonly address: Address;
  readonly expected?: Identity;
}

export interface SendEffect {
  readonly type: 'send';
  readonly connection: ConnectionId;
  readonly message: Message;
}

export interface CloseEffect {
  readonly type: 'close';
  readonly connection: ConnectionId;
  readonly reason: CloseReason;
}

export interface EmitEffect {
  readonly type: 'emit';
  readonly event: NodeEvent;
}

/** A log record the protocol wants people to see (the key-change alarm, dropped input). */
export interface LogEffect {
  readonly type: 'log';
  readonly level: 'debug' | 'info' | 'warn';
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A peer's durable record changed: persist it (pins, address, last seen) or forget it. */
export interface RememberEffect {
  readonly type: 'remember';
  readonly peer: Identity;
  readonly address: Address;
  readonly lastSeen: number;
}

export interface ForgetEffect {
  readonly type: 'forget';
  readonly peer: Identity;
}

export type Effect =
  | DialEffect
  | SendEffect
  | CloseEffect
  | EmitEffect
  | LogEffect
  | RememberEffect
  | ForgetEffect;
