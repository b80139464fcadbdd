import type { Address } from './address';
import { backoffDelay } from './backoff';
import type { Connection, ConnectFailure } from './connection';
import type { Identity } from './identity';
import { dialStatus, everReached, type Peer } from './peer';
import type { ProtocolContext } from './protocol-context';

interface Seed {
  attempts: number;
  nextDialAt: number | undefined;
}

/**
 * Owns the rule "Reconnection": a dead or disconnected peer is redialled with
 * jittered exponential backoff, capped; seeds (`--connect`) are dialled
 * until they answer; one dial per address at a time; an address only heard
 * of is dropped after `maxUnverifiedAttempts` failed dials.
 */
export class Redial {
  private readonly seeds = new Map<Address, Seed>();
  /** Dials under way, by address, with the identity expected there. */
  private readonly inFlight = new Map<Address, Identity | undefined>();

  constructor(private readonly ctx: ProtocolContext) {}

  addSeeds(addresses: readonly Address[], now: number): void {
    for (const address of addresses) this.seeds.set(address, { attempts: 0, nextDialAt: now });
  }

  /** A seed answered (or turned out to be us, or refused): it is not dialled again. */
  forgetSeed(address: Address): void {
    this.seeds.delete(address);
  }

  /** Dials a known peer now, unless another dial holds its address. */
  dial(peer: Peer, now: number): void {
    const status = dialStatus(peer);
    if (!status) return;
    if (this.inFlight.has(peer.address)) {
      // Another dial holds the address (a seed, or a second identity claiming it): not a failure.
      status.nextDialAt = now + this.backoff(status.attempts);
      this.ctx.timers.setEarliest('sweep', status.nextDialAt);
      return;
    }
    peer.dialing = true;
    status.nextDialAt = undefined;
    this.startDial(peer.address, peer.id);
  }

  /** Dials under way whose expected identity is unknown (a seed) or was never reached. */
  dialsToNewIdentities(): number {
    let count = 0;
    for (const expected of this.inFlight.values()) {
      const peer = expected === undefined ? undefined : this.ctx.peers.get(expected);
      if (peer === undefined || !everReached(peer)) count += 1;
    }
    return count;
  }

  /** Dials the peer if its redial is due, else keeps the sweep timer for it. */
  dialIfDue(peer: Peer, now: number): void {
    const at = dialStatus(peer)?.nextDialAt;
    if (at === undefined) return;
    if (at <= now) this.dial(peer, now);
    else this.ctx.timers.setEarliest('sweep', at);
  }

  dialSeeds(now: number): void {
    for (const [address, seed] of this.seeds) {
      if (seed.nextDialAt === undefined) continue;
      if (seed.nextDialAt > now) {
        this.ctx.timers.setEarliest('sweep', seed.nextDialAt);
      } else if (!this.inFlight.has(address)) {
        seed.nextDialAt = undefined;
        this.startDial(address, undefined);
      }
    }
  }

  /** Ends the dial record of an address; returns the identity that was expected there. */
  finishDial(address: Address): Identity | undefined {
    const expected = this.inFlight.get(address);
    this.inFlight.delete(address);
    const peer = expected === undefined ? undefined : this.ctx.peers.get(expected);
    if (peer) peer.dialing = false;
    return expected;
  }

  /** A dial ended without a connection: the peer and the seed there are tried again later. */
  failed(address: Address, expected: Identity | undefined, failure: ConnectFailure, now: number): void {
    if (expected) {
      const peer = this.ctx.peers.get(expected);
      if (peer && !this.ctx.stopped) this.retryLater(peer, now);
    }
    const seed = this.seeds.get(address);
    if (seed && seed.attempts === 0) {
      this.ctx.out.log('warn', `cannot reach ${address} to join through; retrying with backoff`, { address, detail: failure.detail });
    }
    this.retrySeed(address, now);
  }

  /** A connection closed before its hello: whatever it was meant to reach is tried again later. */
  abandoned(connection: Connection, now: number): void {
    if (connection.dialed) this.retrySeed(connection.dialed, now);
    const peer = this.ctx.peers.get(connection.peer);
    if (!peer) return;
    const status = dialStatus(peer);
    if (status && !peer.dialing && status.nextDialAt === undefined && !this.ctx.spareConnection(peer.id)) this.retryLater(peer, now);
  }

  /** Schedules the next dial with backoff; a never-reached peer is dropped after a few failures. */
  retryLater(peer: Peer, now: number): void {
    const status = dialStatus(peer);
    if (!status) return;
    status.attempts += 1;
    if (!everReached(peer) && status.attempts >= this.ctx.options.maxUnverifiedAttempts) {
      this.ctx.peers.remove(peer, now);
      this.ctx.out.log('debug', 'dropping a peer that was never reached', { peer: peer.id, address: peer.address });
      return;
    }
    status.nextDialAt = now + this.backoff(status.attempts - 1);
    this.ctx.timers.setEarliest('sweep', status.nextDialAt);
  }

  private retrySeed(address: Address, now: number): void {
    const seed = this.seeds.get(address);
    if (!seed || this.ctx.stopped) return;
    seed.nextDialAt = now + this.backoff(seed.attempts);
    seed.attempts += 1;
    this.ctx.timers.setEarliest('sweep', seed.nextDialAt);
  }

  private startDial(address: Address, expected: Identity | undefined): void {
    this.inFlight.set(address, expected);
    this.ctx.out.dial(address, expected);
  }

  private backoff(attempt: number): number {
    const { reconnectInitialMs, reconnectMaxMs, random } = this.ctx.options;
    return backoffDelay(attempt, reconnectInitialMs, reconnectMaxMs, random());
  }
}
