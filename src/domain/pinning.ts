import type { Address } from './address';
import type { AuthenticatedConnection } from './connection';
import type { Identity } from './identity';
import type { ProtocolContext } from './protocol-context';
import type { Redial } from './redial';

/**
 * Owns the rule "Pinning (trust on first use)": a dial to a known identity's
 * address that meets another key is an `identity_mismatch`: the connection is
 * closed, the pin stays, and the key-change alarm is logged at most once per
 * address per `reconnectMax`.
 */
export class Pinning {
  /** When each address last raised the key-change alarm. */
  private readonly alarms = new Map<Address, number>();

  constructor(
    private readonly ctx: ProtocolContext,
    private readonly redial: Redial,
  ) {}

  mismatch(info: AuthenticatedConnection, expected: Identity, now: number): void {
    const { ctx } = this;
    const address = info.dialed as Address;
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
    const peer = ctx.peers.get(expected);
    if (peer) this.redial.retryLater(peer, now);
    ctx.out.close(info.id, 'rejected');
  }
}
