import type { Peer, StoredPeer } from './peer';
import type { ProtocolContext } from './protocol-context';

/** How often the pin of a peer that stays connected gets a fresh last-seen time: cheap, and far below any sensible reconnect timeout. */
export const PIN_REFRESH_MS = 60 * 60 * 1000;

/**
 * Owns the rule "for as long as it is remembered": which peers the store
 * keeps (established ones only, see admission-policy.ts) and for how long. Remembered peers are restored at start; the pin
 * of a connected peer is refreshed hourly and on stop; a peer unseen for
 * `reconnectTimeout` (departed or lost) is forgotten.
 */
export class Retention {
  constructor(private readonly ctx: ProtocolContext) {}

  /** Peers of an earlier run come back disconnected; their silence began before this run, so no death is reported. */
  restore(remembered: readonly StoredPeer[], now: number): void {
    const { peers, self } = this.ctx;
    for (const stored of remembered) {
      if (stored.id === self || peers.get(stored.id)) continue;
      peers.add(stored.id, stored.address, stored.lastSeen, { state: 'disconnected', attempts: 0, nextDialAt: now, deathWatch: 'earlier-run' });
    }
  }

  /** Persists the pin with a fresh last-seen time, so a long-lived connection is not forgotten across a restart. Strangers get no pin. */
  refreshPin(peer: Peer, now: number): void {
    if (!peer.established) return;
    peer.rememberedAt = now;
    this.ctx.out.remember(peer.id, peer.address, now);
  }

  /** Forgets a peer that left long ago (true: it is gone); refreshes the pin of a long-connected one. */
  sweepDeparted(peer: Peer, now: number): boolean {
    const state = peer.status.state;
    if (state === 'left') {
      if (now - peer.lastSeen >= this.ctx.options.reconnectTimeoutMs) this.forget(peer, now);
      return true;
    }
    if (state === 'connected' && now - peer.rememberedAt >= PIN_REFRESH_MS) this.refreshPin(peer, now);
    return false;
  }

  /** Forgets a disconnected peer unseen for reconnectTimeout, unless a dial to it is under way (true: it is gone). */
  sweepLost(peer: Peer, now: number): boolean {
    if (peer.status.state !== 'disconnected' || peer.dialing || now - peer.lastSeen < this.ctx.options.reconnectTimeoutMs) return false;
    this.forget(peer, now);
    return true;
  }

  /** Drops a peer from the table, and from the store if it had a pin there. */
  forget(peer: Peer, now: number): void {
    this.ctx.peers.remove(peer, now);
    if (peer.established) this.ctx.out.forget(peer.id);
  }
}
