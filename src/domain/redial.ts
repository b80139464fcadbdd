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
 * until they answer; one dial per address at a time; a peer not established
 * (an address only heard of, a stranger) is dropped after
 * `maxUnverifiedAttempts` failed dials, and at most `maxUnestablishedDials`
 * dials to such peers are in flight at once (the rest wait in turn), so that a
 * flood of candidates neither starves established peers and seeds nor holds
 * thousands of sockets. Evidence of life (`revive`) resets a peer's backoff.
 */
export class Redial {
  private readonly seeds = new Map<Address, Seed>();
  /** Dials under way, by address, with the identity expected there. */
  private readonly inFlight = new Map<Address, Identity | undefined>();
  /** The addresses of inFlight whose dial counts against maxUnestablishedDials. */
  private readonly unestablishedInFlight = new Set<Address>();
  /** Peers not established waiting for a dial slot, oldest first. */
  private readonly waiting = new Set<Identity>();
  /** Peers shown alive while a dial to them was out: redialled as soon as it fails (dropped once connected). */
  private readonly revived = new Set<Identity>();

  constructor(private readonly ctx: ProtocolContext) {}

  addSeeds(addresses: readonly Address[], now: number): void {
    for (const address of addresses) this.seeds.set(address, { attempts: 0, nextDialAt: now });
  }

  /** An address given to join through (`--connect`), not answered yet. */
  isSeed(address: Address): boolean {
    return this.seeds.has(address);
  }

  /** A seed answered (or turned out to be us, or refused): it is not dialled again. */
  forgetSeed(address: Address): void {
    this.seeds.delete(address);
  }

  /**
   * Dials a known peer now, unless another dial holds its address. Dials to
   * peers not established wait for one of `maxUnestablishedDials` slots,
   * unless `vouched` (learned from the list of the seed we joined through:
   * a join, not a flood).
   */
  dial(peer: Peer, now: number, vouched = false): void {
    const status = dialStatus(peer);
    if (!status) return;
    if (this.inFlight.has(peer.address)) {
      // Another dial holds the address (a seed, or a second identity claiming it): not a failure.
      status.nextDialAt = now + this.backoff(status.attempts);
      this.ctx.timers.setEarliest('sweep', status.nextDialAt);
      return;
    }
    if (!peer.established && !vouched && this.unestablishedInFlight.size >= this.ctx.options.maxUnestablishedDials) {
      // Due, but waiting for a slot: finishDial dials it when one frees.
      status.nextDialAt = now;
      this.queue(peer);
      return;
    }
    this.waiting.delete(peer.id);
    peer.dialing = true;
    status.nextDialAt = undefined;
    if (!peer.established) this.unestablishedInFlight.add(peer.address);
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

  /**
   * Evidence that a peer we are redialling is alive (a connected peer lists it
   * as connected to it): forget the backoff and dial it now.
   */
  revive(peer: Peer, now: number): void {
    const status = dialStatus(peer);
    if (!status || status.state !== 'disconnected' || this.ctx.stopped) return;
    status.attempts = 0;
    // A dial still out (hung across the split) cannot be replaced: its failure redials at once instead.
    if (peer.dialing) this.revived.add(peer.id);
    else this.dial(peer, now);
  }

  /** The peer is connected again: nothing owed to it any more. */
  connectedAgain(peer: Peer): void {
    this.revived.delete(peer.id);
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

  /** Ends the dial record of an address, handing its slot to a waiting peer; returns the identity that was expected there. */
  finishDial(address: Address, now: number): Identity | undefined {
    const expected = this.inFlight.get(address);
    this.inFlight.delete(address);
    const peer = expected === undefined ? undefined : this.ctx.peers.get(expected);
    if (peer) peer.dialing = false;
    if (this.unestablishedInFlight.delete(address)) this.dialWaiting(now);
    return expected;
  }

  /** A dial ended without a connection: the peer and the seed there are tried again later. */
  failed(address: Address, expected: Identity | undefined, failure: ConnectFailure, now: number): void {
    if (expected) {
      const peer = this.ctx.peers.get(expected);
      if (this.revived.delete(expected) && peer && !this.ctx.stopped) this.dial(peer, now);
      else if (peer && !this.ctx.stopped) this.retryLater(peer, now);
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
    if (!peer.established && status.attempts >= this.ctx.options.maxUnverifiedAttempts) {
      this.ctx.peers.remove(peer, now);
      this.ctx.out.log('debug', 'dropping a peer that was never established', { peer: peer.id, address: peer.address });
      return;
    }
    status.nextDialAt = now + this.backoff(status.attempts - 1);
    this.ctx.timers.setEarliest('sweep', status.nextDialAt);
  }

  private queue(peer: Peer): void {
    if (this.waiting.has(peer.id)) return;
    if (this.waiting.size >= this.ctx.options.maxPeers) {
      // Bounded: entries of peers gone since they queued go first.
      for (const id of this.waiting) if (!this.ctx.peers.get(id)) this.waiting.delete(id);
      if (this.waiting.size >= this.ctx.options.maxPeers) return;
    }
    this.waiting.add(peer.id);
  }

  /** Hands free dial slots to waiting peers that still need a dial. */
  private dialWaiting(now: number): void {
    const cap = this.ctx.options.maxUnestablishedDials;
    for (const id of this.waiting) {
      if (this.unestablishedInFlight.size >= cap || this.ctx.stopped) return;
      this.waiting.delete(id);
      const peer = this.ctx.peers.get(id);
      const at = peer && !peer.dialing ? dialStatus(peer)?.nextDialAt : undefined;
      if (peer && at !== undefined && at <= now) this.dial(peer, now);
    }
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
