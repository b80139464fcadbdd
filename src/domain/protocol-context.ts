import type { Connection } from './connection';
import type { ConnectionId } from './effects';
import type { Identity } from './identity';
import { Outbox } from './outbox';
import type { Peer } from './peer';
import { PeerTable } from './peer-table';
import { NO_TAGS, ownTags } from './tag-values';
import type { ProtocolOptions } from './protocol-options';
import type { Tags } from './tags';
import { TimerTable } from './timer-table';

/**
 * The state every protocol module shares: the options, the peers, the open
 * connections, the timers and the outbox. Modules own their rules; this owns
 * no rule, only the data they apply to.
 */
export class ProtocolContext {
  readonly peers: PeerTable;
  readonly connections = new Map<ConnectionId, Connection>();
  readonly timers = new TimerTable();
  readonly out = new Outbox();
  /** After `stop`: nothing more happens. */
  stopped = false;
  /** Our tags: in every hello we send; `setOwnTags` replaces them. */
  tags: Tags;

  constructor(readonly options: ProtocolOptions) {
    this.peers = new PeerTable(options.maxPeers, options.reconnectTimeoutMs, (peer) => this.evicted(peer));
    this.tags = options.tags === undefined ? NO_TAGS : ownTags(options.tags);
  }

  get self(): Identity {
    return this.options.self;
  }

  /** A connected stranger gave way to a newcomer in a full table: its connection goes too. */
  private evicted(peer: Peer): void {
    if (peer.status.state !== 'connected') return;
    this.connections.delete(peer.status.connection);
    this.out.close(peer.status.connection, 'rejected');
    // Its connection closes at our hands: those who watch the events must not keep a ghost.
    this.out.emit({ event: 'peer_disconnected', peer: peer.id, address: peer.address, reason: 'table full' });
    this.out.log('debug', 'peer table full; a stranger gives way to a newcomer', { peer: peer.id });
  }

  /** Another authenticated connection to the same peer, to fall back on quietly. */
  spareConnection(peer: Identity): Connection | undefined {
    for (const connection of this.connections.values()) {
      if (connection.peer === peer) return connection;
    }
    return undefined;
  }
}
