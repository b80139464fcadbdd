import { establishAfterMs } from './admission-policy';
import type { CloseCause, Connection } from './connection';
import { type ConnectedPeer, isConnected, type Peer } from './peer';
import type { ProtocolContext } from './protocol-context';
import type { Redial } from './redial';
import type { Retention } from './retention';

/**
 * Owns the life of a connection and the peer's link to it: a peer becomes
 * connected on its hello and disconnected when its last connection closes;
 * a connection silent past `helloTimeout` before its hello is closed; and
 * the "Wire format" rule's consequence, a violation closes that connection only.
 */
export class Connections {
  constructor(
    private readonly ctx: ProtocolContext,
    private readonly redial: Redial,
    private readonly retention: Retention,
  ) {}

  /** The peer now talks to us over `connection`; reported as a (re)connect unless it already was connected. */
  becomeConnected(peer: Peer, connection: Connection, now: number): void {
    const status = peer.status;
    if (status.state === 'connected') {
      status.connection = connection.id;
      return;
    }
    const reconnect = status.state !== 'candidate';
    peer.connectedAt = now;
    this.redial.connectedAgain(peer);
    this.ctx.peers.move(peer, { state: 'connected', connection: connection.id });
    if (!peer.established) this.ctx.timers.setEarliest('sweep', now + establishAfterMs(this.ctx.options));
    this.ctx.out.emit({ event: 'peer_connected', peer: peer.id, address: peer.address, direction: connection.direction, reconnect, tags: peer.tags });
    this.retention.refreshPin(peer, now);
  }

  /** The connected peer lost its connection: disconnected, remembered, redialled; dead after deadAfter unless already reported. */
  disconnect(peer: ConnectedPeer, reason: string, deadReported: boolean, now: number): void {
    this.ctx.peers.move(peer, { state: 'disconnected', attempts: 0, nextDialAt: undefined, deathWatch: deadReported ? 'reported' : 'watching' });
    this.ctx.out.emit({ event: 'peer_disconnected', peer: peer.id, address: peer.address, reason });
    if (peer.established) this.ctx.out.remember(peer.id, peer.address, peer.lastSeen);
    this.redial.retryLater(peer, now);
    this.ctx.timers.setEarliest('sweep', peer.lastSeen + this.ctx.options.deadAfterMs);
  }

  /** A connection closed, whoever closed it: the peer falls back on a spare connection or is disconnected. */
  closed(connection: Connection, cause: CloseCause, now: number): void {
    const { ctx } = this;
    ctx.connections.delete(connection.id);
    const peer = ctx.peers.get(connection.peer);
    if (cause.kind === 'protocol') {
      ctx.out.emit({ event: 'peer_rejected', address: peer?.address ?? connection.remoteHost, reason: 'protocol', detail: cause.detail, presented: connection.peer });
    }
    if (!connection.hello) this.redial.abandoned(connection, now);
    if (!peer || !isConnected(peer) || peer.status.connection !== connection.id) return;
    const spare = ctx.spareConnection(peer.id);
    if (spare) {
      peer.status.connection = spare.id;
      return;
    }
    const reason = cause.kind === 'protocol' ? `protocol: ${cause.detail}` : cause.detail || cause.kind;
    this.disconnect(peer, reason, false, now);
  }

  /** The peer broke the protocol: close this connection only, and take the path of any other protocol failure. */
  violation(connection: Connection, detail: string, now: number): void {
    this.ctx.out.log('debug', 'peer broke the protocol; closing its connection', { peer: connection.peer, detail });
    this.ctx.out.close(connection.id, 'protocol');
    this.closed(connection, { kind: 'protocol', detail }, now);
  }

  /** Closes connections that sent no hello within helloTimeout. */
  checkHelloTimeouts(now: number): void {
    const { ctx } = this;
    for (const connection of [...ctx.connections.values()]) {
      if (connection.hello) continue;
      const deadline = connection.openedAt + ctx.options.helloTimeoutMs;
      if (now < deadline) {
        ctx.timers.setEarliest('sweep', deadline);
        continue;
      }
      ctx.out.emit({ event: 'peer_rejected', address: connection.dialed ?? connection.remoteHost, reason: 'timeout', detail: 'no hello', presented: connection.peer });
      ctx.out.close(connection.id, 'timeout');
      this.closed(connection, { kind: 'timeout', detail: 'no hello' }, now);
    }
  }
}
