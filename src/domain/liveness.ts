import type { Connections } from './connections';
import { isConnected, type Peer } from './peer';
import type { ProtocolContext } from './protocol-context';
import { heartbeatFor } from './round-trip';
import { nextRound } from './timer-table';

/**
 * Owns the rule "Liveness": every frame counts as a sign of life; heartbeats
 * fill the silence on each connection; silence longer than `deadAfter` makes
 * a peer dead (reported once per silence, and closing its connection).
 */
export class Liveness {
  constructor(
    private readonly ctx: ProtocolContext,
    private readonly connections: Connections,
  ) {}

  /** A frame from the peer after its hello. Hot path: no allocation. */
  signOfLife(peer: Peer, now: number): void {
    peer.lastSeen = now;
    if (peer.status.state === 'disconnected') peer.status.deathWatch = 'watching';
  }

  /**
   * The heartbeat round, on the wall clock's multiples of the interval. Runs
   * after the ping round of the same tick, whose pings then stand in for it.
   */
  heartbeats(now: number): void {
    const { options, connections, out } = this.ctx;
    const interval = options.heartbeatIntervalMs;
    for (const connection of connections.values()) {
      // Anything sent in the last half interval already says we are alive.
      if (connection.hello && now - connection.lastSentAt >= interval / 2) out.send(connection, heartbeatFor(connection, now, options.rttSampleIntervalMs), now);
    }
    this.ctx.timers.set('heartbeat', nextRound(now, interval));
  }

  /** Declares the peer dead once its silence reaches deadAfter, else keeps the sweep timer for it. */
  checkDeath(peer: Peer, now: number): void {
    const status = peer.status;
    const watched = status.state === 'connected' || (status.state === 'disconnected' && status.deathWatch === 'watching');
    if (!watched) return;
    const silentMs = now - peer.lastSeen;
    if (silentMs < this.ctx.options.deadAfterMs) {
      this.ctx.timers.setEarliest('sweep', peer.lastSeen + this.ctx.options.deadAfterMs);
      return;
    }
    this.ctx.out.emit({ event: 'peer_dead', peer: peer.id, address: peer.address, silentMs });
    if (status.state === 'disconnected') {
      status.deathWatch = 'reported';
    } else if (isConnected(peer)) {
      const connection = peer.status.connection;
      this.ctx.connections.delete(connection);
      this.ctx.out.close(connection, 'dead');
      this.connections.disconnect(peer, 'dead', true, now);
    }
  }
}
