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

  private candidateCount = 0;
  private learnedCount = 0;

  constructor(
    private readonly maxPeers: number,
    /** How long a dropped identity is ignored in peer lists. */
    private readonly dropForMs: number,
    /** Told of each peer evicted to make room, so that a connected one's connection can be closed. */
    private readonly evicted: (peer: Peer) => void = () => undefined,
  ) {}

  get size(): number {
    return this.peers.size;
  }

  /** Peers added so far (each peer's `learnedAs` is its place in this count). */
  get learned(): number {
    return this.learnedCount;
  }

  /** Peers only heard of, never reached. */
  get candidates(): number {
    return this.candidateCount;
  }

  get(id: Identity): Peer | undefined {
    return this.peers.get(id);
  }

  all(): IterableIterator<Peer> {
    return this.peers.values();
  }

  /**
   * Adds a peer unless the table is full; a full table first makes room by
   * evicting the least established entry (see evict). `status` is `candidate`
   * (heard of) or `disconnected` (restored from an earlier run, established).
   */
  add(id: Identity, address: Address, now: number, status: PeerStatus): Peer | undefined {
    if (this.peers.size >= this.maxPeers && !this.evict()) return undefined;
    const restored = status.state === 'disconnected';
    const peer: Peer = {
      id, address, lastSeen: now, rememberedAt: now, dialing: false, status,
      established: restored, connectedAt: now, reachedAt: restored ? address : undefined, tags: NO_TAGS,
      learnedAs: (this.learnedCount += 1),
    };
    this.peers.set(id, peer);
    this.dropped.delete(id);
    if (status.state !== 'left') this.listed.toggle(id);
    if (status.state === 'candidate') this.candidateCount += 1;
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
    if (from === 'candidate') this.candidateCount -= 1;
    peer.status = next;
  }

  /** Removes a peer; a never-reached one is also ignored in peer lists for a while. */
  remove(peer: Peer, now: number): void {
    if (!this.peers.delete(peer.id)) return;
    if (peer.status.state !== 'left') this.listed.toggle(peer.id);
    if (peer.status.state === 'candidate') this.candidateCount -= 1;
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
   * The peer list we send: every peer connected to us now, except the
   * receiver; to an established receiver, only peers that are established or
   * that we dialled and met ourselves. So every entry says "alive and
   * connected to me" (evidence of life, see PeerExchange); peers only heard
   * of are never passed on, and strangers (throwaway identities among them)
   * only to other strangers: joiners of the moment meet each other at once,
   * the established mesh never hears of them. (The digest still counts them
   * all: a joiner that holds its seed's list then matches every member it dials.)
   */
  entriesFor(receiver: Identity): { id: Identity; addr: Address }[] {
    const toStranger = this.peers.get(receiver)?.established !== true;
    const entries: { id: Identity; addr: Address }[] = [];
    for (const peer of this.peers.values()) {
      const vouched = toStranger || peer.established || peer.reachedAt !== undefined;
      if (vouched && peer.status.state === 'connected' && peer.id !== receiver) entries.push({ id: peer.id, addr: peer.address });
    }
    return entries;
  }

  /**
   * Makes room with the least established entry, in this order: the
   * longest-gone peer that left, the oldest candidate, the oldest stranger
   * gone away, the oldest connected stranger. Never an established peer, never
   * one being dialled.
   */
  private evict(): boolean {
    let victim: Peer | undefined;
    let victimRank = 0;
    for (const peer of this.peers.values()) {
      const rank = evictionRank(peer);
      if (rank === 0) continue;
      if (!victim || rank > victimRank || (rank === victimRank && peer.lastSeen < victim.lastSeen)) {
        victim = peer;
        victimRank = rank;
      }
    }
    if (!victim) return false;
    this.remove(victim, victim.lastSeen);
    this.evicted(victim);
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

/** How readily a peer gives way to a newcomer: 0 never (established, or being dialled), higher first. */
function evictionRank(peer: Peer): number {
  if (peer.status.state === 'left') return peer.established ? 4 : 5;
  if (peer.established || peer.dialing) return 0;
  switch (peer.status.state) {
    case 'candidate':
      return 3;
    case 'disconnected':
      return 2;
    case 'connected':
      return 1;
  }
}
