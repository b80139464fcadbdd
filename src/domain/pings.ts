import type { Connection } from './connection';
import { shortIdentity } from './identity';
import type { Peer } from './peer';
import type { ProtocolContext } from './protocol-context';
import { pingFor } from './round-trip';
import { nextRound } from './timer-table';

/**
 * Owns the pings of CONTRACT.md (not a membership rule): every period, and on
 * the host's broadcast, one numbered ping to every connected peer; a ping
 * received is shown. Numbering counts only rounds that reached someone.
 */
export class Pings {
  private seq = 0;

  constructor(private readonly ctx: ProtocolContext) {}

  /** The periodic round, on the wall clock's multiples of the period: re-arms the ping timer. */
  round(now: number): void {
    this.ctx.timers.set('ping', nextRound(now, this.ctx.options.periodMs));
    this.send(undefined, now);
  }

  /** Pings every connected peer: the host's message, or the numbered one of each period. */
  send(hostMessage: string | undefined, now: number): void {
    const { ctx } = this;
    const targets: Connection[] = [];
    for (const peer of ctx.peers.all()) {
      const connection = peer.status.state === 'connected' ? ctx.connections.get(peer.status.connection) : undefined;
      if (connection) targets.push(connection);
    }
    if (targets.length === 0) return;
    this.seq += 1;
    const message = hostMessage ?? `ping ${this.seq} from ${shortIdentity(ctx.self)}`;
    for (const connection of targets) ctx.out.send(connection, pingFor(connection, this.seq, message, now), now);
    ctx.out.emit({ event: 'ping_sent', peers: targets.length, message });
  }

  received(peer: Peer, message: string): void {
    this.ctx.out.emit({ event: 'ping_received', peer: peer.id, address: peer.address, message });
  }
}
