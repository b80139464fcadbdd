import type { Connection } from './connection';
import type { Peer } from './peer';
import type { ProtocolContext } from './protocol-context';
import type { Retention } from './retention';

/**
 * Owns the rule "Graceful stop": on stop we refresh our pins, say `leave` on
 * every connection and close them all; a peer's `leave` makes it `left` at
 * once (peer_left, no waiting for deadAfter) and it is not redialled.
 */
export class Leave {
  constructor(
    private readonly ctx: ProtocolContext,
    private readonly retention: Retention,
  ) {}

  /** The peer said goodbye on `connection`. */
  onLeave(peer: Peer, connection: Connection, now: number): void {
    const { ctx } = this;
    ctx.out.emit({ event: 'peer_left', peer: peer.id, address: peer.address });
    ctx.connections.delete(connection.id);
    ctx.out.close(connection.id, 'leaving');
    if (peer.status.state === 'connected') {
      ctx.out.emit({ event: 'peer_disconnected', peer: peer.id, address: peer.address, reason: 'left' });
    }
    // A stranger that says goodbye is simply forgotten: it holds no pin worth a place in the table.
    if (!peer.established) ctx.peers.remove(peer, now);
    else if (peer.status.state !== 'left') ctx.peers.move(peer, { state: 'left' });
  }

  /** Our own graceful stop: goodbye to every peer, then nothing more. */
  stop(now: number): void {
    const { ctx } = this;
    ctx.stopped = true;
    for (const peer of ctx.peers.all()) if (peer.status.state === 'connected') this.retention.refreshPin(peer, now);
    for (const connection of ctx.connections.values()) {
      if (connection.hello) ctx.out.send(connection, { v: 1, t: 'leave' }, now);
      ctx.out.close(connection.id, 'leaving');
    }
    ctx.connections.clear();
    ctx.timers.stopAll();
  }
}
