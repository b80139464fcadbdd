import type { Identity } from './identity';

/**
 * An order-independent digest of a set of identities: the XOR of the first
 * 64 bits of each (identities are SHA-256 hashes, so their bits are uniform).
 * XOR makes adding or removing one identity O(1), which keeps "do we know the
 * same peers?" cheap on every connection even in a mesh of thousands. It only
 * decides whether to send a peer list, so a collision costs at most one
 * skipped exchange, repaired by the next periodic sync.
 */
export class PeerDigest {
  private high = 0;
  private low = 0;

  /** The digest of exactly `ids`. */
  static of(...ids: Identity[]): string {
    return new PeerDigest().with(...ids);
  }

  toggle(id: Identity): void {
    this.high = (this.high ^ parseInt(id.slice(0, 8), 16)) >>> 0;
    this.low = (this.low ^ parseInt(id.slice(8, 16), 16)) >>> 0;
  }

  /** The digest with `ids` toggled, without changing this one. */
  with(...ids: Identity[]): string {
    const copy = new PeerDigest();
    copy.high = this.high;
    copy.low = this.low;
    for (const id of ids) copy.toggle(id);
    return copy.toString();
  }

  toString(): string {
    return this.high.toString(16).padStart(8, '0') + this.low.toString(16).padStart(8, '0');
  }
}
