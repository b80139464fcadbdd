import type { Address } from './address';
import type { Identity } from './identity';
import { canMove, everReached, type Peer, type PeerStatus } from './peer';
import { PeerDigest } from './peer-digest';
import { NO_TAGS } from './tag-values';

/**
 * Owns: the bound on known peers (a full table evicts the departed or the
 * never-reached first) and the state transitions of a peer (`move`).
 *
 * The peers a node knows, bounded, with the digest of those it knows of
 * (every known peer that has not left), and a bounded
 * memory of dropped never-reached identities so that the same made-up entry
 * in a peer list is not dialled again and again.
 */
export class PeerTable {
  private readonly peers = new Map<Identity, Peer>();
  private readonly listed = new PeerDigest();
  private readonly dropped = new Map<Identity, number>();

  constructor(
    private readonly maxPeers: number,
    /** How long a dropped identity is ignored in peer lists. */
    private readonly dropForMs: number,
  ) {}

  get size(): number {
    return this.peers.size;
  }

  get(id: Identity): Peer | undefined {
    return this.peers.get(id);
  }

  all(): IterableIterator<Peer> {
    return this.peers.values();
  }

  /**
   * Adds a peer unless the table is full; a full table first makes room by
   * evicting a peer that left or was never reached. `status` is `candidate`
   * (heard of) or `disconnected` (restored from an earlier run).
   */
  add(id: Identity, address: Address, now: number, status: PeerStatus): Peer | undefined {
    if (this.peers.size >= this.maxPeers && !this.evict()) return undefined;
    const peer: Peer = { id, address, lastSeen: now, rememberedAt: now, dialing: false, status, tags: NO_TAGS };
    this.peers.set(id, peer);
    if (status.state !== 'left') this.listed.toggle(id);
    return peer;
  }

  /**
   * The one writer of a peer's state: moves it along PEER_TRANSITIONS (a
   * forbidden move is a bug and throws) and keeps the digest of listed peers
   * in step (left peers are not listed to others; one that connects again is).
   */
  move(peer: Peer, next: PeerStatus): void {
    const from = peer.status.state;
    if (!canMove(from, next.state)) throw new Error(`peer ${peer.id}: no transition from ${from} to ${next.state}`);
    if ((from === 'left') !== (next.state === 'left')) this.listed.toggle(peer.id);
    peer.status = next;
  }

  /** Removes a peer; a never-reached one is also ignored in peer lists for a while. */
  remove(peer: Peer, now: number): void {
    if (!this.peers.delete(peer.id)) return;
    if (peer.status.state !== 'left') this.listed.toggle(peer.id);
    if (!everReached(peer)) this.rememberDropped(peer.id, now);
  }

  isDropped(id: Identity, now: number): boolean {
    const until = this.dropped.get(id);
    if (until === undefined) return false;
    if (until > now) return true;
    this.dropped.delete(id);
    return false;
  }

  /** Digest of everything we list, plus ourselves and the peer at the other end. */
  digestFor(self: Identity, other: Identity): string {
    const otherListed = this.peers.has(other) && this.peers.get(other)?.status.state !== 'left';
    return otherListed ? this.listed.with(self) : this.listed.with(self, other);
  }

  /**
   * The peer list we send: every peer we have reached ourselves, except the
   * receiver. Peers only heard of are never passed on, so a made-up list
   * stops at the node it was sent to. (The digest still counts them: a
   * joiner that holds its seed's list then matches every member it dials.)
   */
  entriesFor(receiver: Identity): { id: Identity; addr: Address }[] {
    const entries: { id: Identity; addr: Address }[] = [];
    for (const peer of this.peers.values()) {
      if (everReached(peer) && peer.status.state !== 'left' && peer.id !== receiver) entries.push({ id: peer.id, addr: peer.address });
    }
    return entries;
  }

  /** Makes room: the longest-gone peer that left, else the oldest never-reached one not being dialled. */
  private evict(): boolean {
    let victim: Peer | undefined;
    for (const peer of this.peers.values()) {
      const state = peer.status.state;
      const evictable = state === 'left' || (state === 'candidate' && !peer.dialing);
      if (!evictable) continue;
      const better = !victim || (state === 'left' && victim.status.state !== 'left') || (state === victim.status.state && peer.lastSeen < victim.lastSeen);
      if (better) victim = peer;
    }
    if (!victim) return false;
    this.remove(victim, victim.lastSeen);
    return true;
  }

  private rememberDropped(id: Identity, now: number): void {
    if (this.dropped.size >= this.maxPeers) {
      const first = this.dropped.keys().next();
      if (!first.done) this.dropped.delete(first.value);
    }
    this.dropped.set(id, now + this.dropForMs);
  }
}
