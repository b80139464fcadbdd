import type { Peer } from './peer';
import type { ProtocolContext } from './protocol-context';
import type { ProtocolOptions } from './protocol-options';
import type { Retention } from './retention';

/**
 * Owns the rule "Admission policy": identities are free to make, so their
 * number is no measure of trust; time connected is.
 *
 * - A peer is *established* once it has stayed connected for
 *   max(period, establishAfterHeartbeats heartbeats): it has then answered a
 *   ping round and several heartbeats. Peers restored from the store are
 *   established (they were, in an earlier run). Established never reverts.
 * - Only an established peer earns a pin in the store (`remember`), a place
 *   in the peer lists we pass on, and redialling for `reconnectTimeout`.
 *   A *stranger* (connected, never established) that goes away is redialled
 *   `maxUnverifiedAttempts` times at most, then forgotten.
 * - New identities from one remote host are admitted at a bounded rate
 *   (a token bucket per host, in a bounded map).
 * - A full table makes room with the least established entry (see
 *   PeerTable.evict): never an established peer, so strangers can neither
 *   push out a pin nor keep a newcomer out.
 */
export class AdmissionPolicy {
  private readonly buckets: HostBuckets;

  constructor(
    private readonly ctx: ProtocolContext,
    private readonly retention: Retention,
  ) {
    this.buckets = new HostBuckets(ctx.options);
  }

  /** A new identity connected to us from `host`: whether that host may bring one more now. */
  admitsNewIdentity(host: string, now: number): boolean {
    return this.buckets.take(host, now);
  }

  /** A connected stranger that has stayed long enough becomes established and earns its pin; else the sweep comes back for it. */
  checkEstablished(peer: Peer, now: number): void {
    if (peer.established || peer.status.state !== 'connected') return;
    const at = peer.connectedAt + establishAfterMs(this.ctx.options);
    if (now < at) {
      this.ctx.timers.setEarliest('sweep', at);
      return;
    }
    peer.established = true;
    // Its claimed address held for the whole spell: it counts as reached there (see Pinning).
    peer.reachedAt ??= peer.address;
    this.retention.refreshPin(peer, now);
  }
}

/** How long a peer must stay connected to be established. */
export function establishAfterMs(options: Pick<ProtocolOptions, 'periodMs' | 'heartbeatIntervalMs' | 'establishAfterHeartbeats'>): number {
  return Math.max(options.periodMs, options.establishAfterHeartbeats * options.heartbeatIntervalMs);
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Hosts whose buckets are kept at once; past it the oldest entry goes (it has refilled by then, or is an attacker's anyway). */
export const MAX_TRACKED_HOSTS = 1024;

/** One token bucket per remote host, bounded in number. */
class HostBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly options: Pick<ProtocolOptions, 'newIdentityBurst' | 'newIdentitiesPerSecond'>) {}

  take(host: string, now: number): boolean {
    const { newIdentityBurst: burst, newIdentitiesPerSecond: rate } = this.options;
    let bucket = this.buckets.get(host);
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_HOSTS) {
        const oldest = this.buckets.keys().next();
        if (!oldest.done) this.buckets.delete(oldest.value);
      }
      bucket = { tokens: burst, at: now };
      this.buckets.set(host, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
