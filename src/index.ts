/**
 * The library entry: `import { createNode } from 'p2p-gossip'`.
 * Hosts may replace any adapter by implementing its port.
 */
export { createNode, GossipNode, type EventOf, type NodeAdapters, type NodeListener, type NodeOptions } from './main/create-node';
export { NodeOptionsError } from './main/node-options.error';
export { ConfigurationError } from './application/configuration.error';
export type { NodeConfig, NodeConfigInput } from './main/config';
export type { Identity } from './domain/identity';
export type { Address } from './domain/address';
export type { Member, PeerState } from './domain/peer';
export type { Message } from './domain/messages';
export type { Tags } from './domain/tags';
export type { PeerStoreStatus } from './application/peer-store-writer';
export type { NodeEvent, NodeEventName, RejectReason, Direction } from './domain/events';
export type { Clock, TimerHandle } from './application/ports/clock.port';
export type { KeyStore, NodeCredentials } from './application/ports/key-store.port';
export type { Logger } from './application/ports/logger.port';
export type { Output } from './application/ports/output.port';
export type { PeerStore, StoredPeer } from './application/ports/peer-store.port';
export type { Random } from './application/ports/random.port';
export type {
  AuthenticatedConnection, CloseCause, ConnectFailure, ListenOptions, Transport, TransportHandlers,
} from './application/ports/transport.port';
