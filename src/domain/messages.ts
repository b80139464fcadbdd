import type { Address } from './address';
import type { Identity } from './identity';
import type { Tags } from './tags';

/**
 * The protocol's messages, as the domain sees them after the wire codec has
 * checked them. Version 1 (the `v` field). Type tags are part of the wire
 * format: ONLY APPEND.
 */

export interface PeerEntry {
  readonly id: Identity;
  readonly addr: Address;
}

/** First message on every connection: who I claim to be and where to reach me. */
export interface HelloMessage {
  readonly v: 1;
  readonly t: 'hello';
  readonly id: Identity;
  /** The port I accept peers on. */
  readonly port: number;
  /** The host to dial me at, when I know it (`--advertise` or a specific `--host`). */
  readonly host?: string;
  /** Digest of the peers I know plus both ends of this connection (see peer-digest.ts). */
  readonly digest: string;
  /** My tags (absent from a build before tags: none). */
  readonly tags?: Tags;
}

/** Known peers. `ask` asks the receiver to answer with its own list. */
export interface PeersMessage {
  readonly v: 1;
  readonly t: 'peers';
  readonly peers: readonly PeerEntry[];
  readonly ask: boolean;
}

/** Anti-entropy probe: "here is what I know"; the receiver starts an exchange if it differs. */
export interface SyncMessage {
  readonly v: 1;
  readonly t: 'sync';
  readonly digest: string;
}

/**
 * The round-trip echo a heartbeat or a ping may carry (see round-trip.ts):
 * `ack` is how many frames I have received on this connection (so the
 * number of the last one: both ends count alike, the stream is ordered and
 * reliable), `held` how many ms ago that one arrived. Both or neither.
 */
export interface Echo {
  readonly ack?: number;
  readonly held?: number;
}

export interface PingMessage extends Echo {
  readonly v: 1;
  readonly t: 'ping';
  readonly seq: number;
  readonly message: string;
}

/** Fills silence so that the peer's failure detector sees us alive. */
export interface HeartbeatMessage extends Echo {
  readonly v: 1;
  readonly t: 'hb';
}

/** The heartbeat without an echo: one frozen object for every connection, so the transport encodes it once. */
export const HEARTBEAT: HeartbeatMessage = Object.freeze({ v: 1, t: 'hb' });

/** Graceful stop: do not wait for deadAfter, do not redial. */
export interface LeaveMessage {
  readonly v: 1;
  readonly t: 'leave';
}

/** My tags changed: these replace the ones of my hello (or of my last `tags`). */
export interface TagsMessage {
  readonly v: 1;
  readonly t: 'tags';
  readonly tags: Tags;
}

export type Message =
  | HelloMessage
  | PeersMessage
  | SyncMessage
  | PingMessage
  | HeartbeatMessage
  | LeaveMessage
  | TagsMessage;

export type MessageType = Message['t'];

/** Hard limits of the wire protocol. A violation closes the offending connection. */
export const LIMITS = {
  /** Largest frame accepted, in bytes: a full peer list of maxListEntries fits with room. */
  maxFrameBytes: 1024 * 1024,
  /** Entries in one peer list: one full mesh of 4096 nodes. The wire schema and the protocol both check this one constant. */
  maxListEntries: 4096,
  /** Bytes of UTF-8 in a ping's message: the contract's 4 KiB for a broadcast, checked by the admin API, the embedding API and the wire schema alike. */
  maxPingMessageBytes: 4096,
  /** Characters in an advertised host. */
  maxHostLength: 253,
  /** Largest `held` of an echo, in ms: an echo of a frame older than this measures nothing worth having. */
  maxEchoHeldMs: 60_000,
} as const;
