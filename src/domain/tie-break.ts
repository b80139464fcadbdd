import type { Connection } from './connection';
import type { Direction } from './events';
import { compareIdentities, type Identity } from './identity';
import { HEARTBEAT } from './messages';
import type { ConnectedPeer } from './peer';
import type { ProtocolContext } from './protocol-context';

/**
 * Owns the rule "One connection per pair": when a second connection to a
 * connected peer passes its hello, both ends keep the same one and close the
 * other quietly (`duplicate`, no failure reported).
 */

/**
 * Whether to keep the fresh connection over the current one: the one dialled
 * by the smaller identity; of two dialled the same way, the newer (the peer
 * dialled afresh, so the old one is dead). Both ends reach the same answer.
 */
export function keepFresh(self: Identity, peer: Identity, current: Direction, fresh: Direction): boolean {
  const preferred: Direction = compareIdentities(self, peer) < 0 ? 'outbound' : 'inbound';
  return current === fresh || fresh === preferred;
}

/** Two connections to one peer: keep one, close the other quietly. */
export function resolveDuplicate(ctx: ProtocolContext, peer: ConnectedPeer, fresh: Connection, now: number): void {
  const current = ctx.connections.get(peer.status.connection);
  if (!current) {
    peer.status.connection = fresh.id;
    return;
  }
  const [keep, drop] = keepFresh(ctx.self, peer.id, current.direction, fresh.direction) ? [fresh, current] : [current, fresh];
  peer.status.connection = keep.id;
  ctx.connections.delete(drop.id);
  ctx.out.close(drop.id, 'duplicate');
  // A heartbeat on the kept connection finds out soon if it is a dead one.
  ctx.out.send(keep, HEARTBEAT, now);
}
