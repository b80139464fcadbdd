import type { Address } from './address';
import type { Identity } from './identity';
import type { Tags } from './tags';

/**
 * The events of CONTRACT.md, as values. Output adapters add `ts` and render
 * them; the field names here are the JSON field names.
 */
export type RejectReason = 'identity_mismatch' | 'network_key' | 'not_allowed' | 'protocol' | 'timeout';

export type Direction = 'inbound' | 'outbound';

export interface ListeningEvent {
  readonly event: 'listening';
  readonly id: Identity;
  readonly address: string;
  readonly advertise: string;
  /** This node's own tags, `{}` when none. */
  readonly tags: Tags;
  /** The admin API's host:port actually bound, when `--admin` is given. */
  readonly admin?: string;
}

export interface PeerConnectedEvent {
  readonly event: 'peer_connected';
  readonly peer: Identity;
  readonly address: Address;
  readonly direction: Direction;
  readonly reconnect: boolean;
  /** The tags of its hello. */
  readonly tags: Tags;
}

export interface PeerDisconnectedEvent {
  readonly event: 'peer_disconnected';
  readonly peer: Identity;
  readonly address: Address;
  readonly reason: string;
}

export interface PeerDeadEvent {
  readonly event: 'peer_dead';
  readonly peer: Identity;
  readonly address: Address;
  readonly silentMs: number;
}

export interface PeerLeftEvent {
  readonly event: 'peer_left';
  readonly peer: Identity;
  readonly address: Address;
}

export interface PeerRejectedEvent {
  readonly event: 'peer_rejected';
  readonly address: string;
  readonly reason: RejectReason;
  readonly detail?: string;
  readonly expected?: Identity;
  readonly presented?: Identity;
}

export interface PingSentEvent {
  readonly event: 'ping_sent';
  readonly peers: number;
  readonly message: string;
}

export interface PingReceivedEvent {
  readonly event: 'ping_received';
  readonly peer: Identity;
  readonly address: Address;
  readonly message: string;
}

/** A connected peer changed its tags at run time. */
export interface PeerUpdatedEvent {
  readonly event: 'peer_updated';
  readonly peer: Identity;
  readonly address: Address;
  readonly tags: Tags;
}

export type NodeEvent =
  | ListeningEvent
  | PeerConnectedEvent
  | PeerDisconnectedEvent
  | PeerDeadEvent
  | PeerLeftEvent
  | PeerRejectedEvent
  | PingSentEvent
  | PingReceivedEvent
  | PeerUpdatedEvent;

export type NodeEventName = NodeEvent['event'];
