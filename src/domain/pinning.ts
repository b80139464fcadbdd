import type { Address } from './address';
import type { AuthenticatedConnection } from './connection';
import type { Identity } from './identity';
import type { ProtocolContext } from './protocol-context';
import type { Redial } from './redial';
import type { Retention } from './retention';

/**
 * Owns the rule "Pinning (trust on first use)": a dial to a known identity's
 * address that meets another key is refused and the connection closed. It is
 * an `identity_mismatch`, with the key-change alarm logged at most once per
 * address per `reconnectMax` and the pin kept, only where the expected
 * identity was really reached (`Peer.reachedAt`: we dialled it there, it was
 * established there, or the store had it there). An address that was only
 * claimed (a hello, a peer list) and answers with another key is a stale
 * claim: dropped quietly (debug), not passed on, not redialled there.
 */
export class Pinning {
  /** When each address last raised the key-change alarm. */
  private readonly alarms = new Map<Address, number>();

  constructor(
    private readonly ctx: ProtocolContext,
    private readonly redial: Redial,
    private readonly retention: Retention,
  ) {}

  mismatch(info: AuthenticatedConnection, expected: Identity, now: number): void {
    const { ctx } = this;
    const address = info.dialed as Address;
    const peer = ctx.peers.get(expected);
    if (peer && peer.reachedAt !== address) {
      ctx.out.log('debug', 'a claimed address answers with another key: a stale claim, dropped', { address, expected, presented: info.peer });
      if (peer.reachedAt !== undefined && peer.status.state !== 'connected') {
        // Back to where it was really reached.
        peer.address = peer.reachedAt;
        this.redial.retryLater(peer, now);
      } else if (peer.status.state !== 'connected') {
        this.retention.forget(peer, now);
      }
      ctx.out.close(info.id, 'rejected');
      return;
    }
    ctx.out.emit({ event: 'peer_rejected', address, reason: 'identity_mismatch', expected, presented: info.peer });
    const lastAlarm = this.alarms.get(address);
    if (lastAlarm === undefined || now - lastAlarm >= ctx.options.reconnectMaxMs) {
      // Bounded: only addresses we chose to dial get here.
      if (this.alarms.size >= ctx.options.maxPeers) this.alarms.clear();
      this.alarms.set(address, now);
      ctx.out.log('warn', `the key at ${address} changed: expected ${expected}, presented ${info.peer}; refused, pin kept`, {
        address, expected, presented: info.peer,
      });
    }
    if (peer) this.redial.retryLater(peer, now);
    ctx.out.close(info.id, 'rejected');
  }
}
