import { parseAddress } from './address';
import type { Connection } from './connection';
import type { Connections } from './connections';
import { isIdentity } from './identity';
import { LIMITS, type PeerEntry, type PeersMessage } from './messages';
import type { Peer } from './peer';
import { PeerDigest } from './peer-digest';
import type { ProtocolContext } from './protocol-context';
import type { Redial } from './redial';

/**
 * Owns the rules "Join crawl" and the split-healing half of "Reconnection and
 * splits": peer lists are exchanged after every hello whose digest differs
 * from ours, every identity a list brings is dialled at once, and a periodic
 * digest comparison with one random peer (anti-entropy) repairs anything a
 * missed event left behind. A list past LIMITS.maxListEntries is a violation;
 * at most `maxCandidates` candidates are held at once (the rest of a list is
 * not taken; later lists bring it again). Every reconnection exchanges lists,
 * and a list naming a peer we are redialling (lists name only peers connected
 * to their sender) is evidence of life: that peer is dialled now.
 */
export class PeerExchange {
  /**
   * Connections of joiners whose hello digest was that of the two of us
   * alone: they knew no other peer when they reached us, so we are where
   * they join from. Kept while they are open and not established; dropped
   * when `reached` finds them closed or established.
   */
  private readonly joiners = new Set<Connection>();

  constructor(
    private readonly ctx: ProtocolContext,
    private readonly redial: Redial,
    private readonly connections: Connections,
  ) {}

  /** After a hello: send our list when the peer's digest says it knows other peers than we do, or it comes back after a loss. */
  afterHello(connection: Connection, digest: string, reconnected: boolean, now: number): void {
    if (digest === PeerDigest.of(this.ctx.self, connection.peer)) this.joiners.add(connection);
    if (reconnected || digest !== this.ctx.peers.digestFor(this.ctx.self, connection.peer)) this.sendPeers(connection, false, now);
    else connection.knowsLearned = this.ctx.peers.learned;
  }

  /**
   * `peer` is connected again or for the first time, and is one we pass on:
   * we dialled it and met it, or it is an established member that came back
   * (restarted, it dialled us). A joiner that came to us knowing nobody else
   * (its hello's digest is that of the two of us) and is not established yet
   * may have had our list before this one was connected: it gets this entry
   * now. Nobody else does: established peers learn it from its own crawl, a
   * peer whose hello digest matched ours once we knew this one knew it
   * already, and a joiner that knew others has had their lists. Without it a
   * joiner and members restarting meanwhile would meet only at the next sync
   * (members pass strangers only to strangers, and the restarted ones dial
   * members, not the joiner): 1.7–9.9 s in a simulation, 5 ms with it. In
   * simultaneous starts (chains, stars, rings, several seeds) joins converge
   * in the same fake time with or without these entries. Sending them to
   * every unestablished peer connected to us cost N³ frames when N nodes
   * start at once: 62,865 for a simulated chain of 50, against 13,710 now.
   */
  reached(peer: Peer, now: number): void {
    const { ctx } = this;
    const entry = { id: peer.id, addr: peer.address };
    // The joiners of the moment, not every connection: this runs for each peer that connects.
    for (const connection of this.joiners) {
      if (ctx.connections.get(connection.id) !== connection || ctx.peers.get(connection.peer)?.established !== false) {
        this.joiners.delete(connection);
        continue;
      }
      if (connection.peer === peer.id || connection.knowsLearned >= peer.learnedAs) continue;
      ctx.out.send(connection, { v: 1, t: 'peers', peers: [entry], ask: false }, now);
    }
  }

  onPeers(connection: Connection, message: PeersMessage, now: number): void {
    if (message.peers.length > LIMITS.maxListEntries) {
      this.connections.violation(connection, `peer list of ${message.peers.length} entries`, now);
      return;
    }
    this.merge(message.peers, this.ctx.peers.get(connection.peer)?.established === true, connection.toSeed, now);
    if (message.ask) this.sendPeers(connection, false, now);
  }

  onSync(connection: Connection, digest: string, now: number): void {
    if (digest !== this.ctx.peers.digestFor(this.ctx.self, connection.peer)) this.sendPeers(connection, true, now);
  }

  /** Anti-entropy: compare digests with one random peer; an exchange follows if they differ. */
  sync(now: number): void {
    const { ctx } = this;
    ctx.timers.set('sync', now + ctx.options.syncIntervalMs);
    const connected = [...ctx.connections.values()].filter((connection) => connection.hello);
    const partner = connected[Math.floor(ctx.options.random() * connected.length)];
    if (partner) ctx.out.send(partner, { v: 1, t: 'sync', digest: ctx.peers.digestFor(ctx.self, partner.peer) }, now);
  }

  /**
   * Learn every new identity of a peer list and dial it at once: that is the
   * crawl. A list that is `vouched` for (sent by the seed the operator told
   * us to join through) is taken whole and dialled at once, so that joining a
   * large mesh is one list and one round of dials. Any other list (a stranger's,
   * or a member's: a member is only a peer that stayed connected a while)
   * adds at most `maxCandidates` candidates, dialled a few at a time, so that
   * a made-up list costs little.
   */
  private merge(entries: readonly PeerEntry[], fromEstablished: boolean, vouched: boolean, now: number): void {
    const { ctx } = this;
    const allow = ctx.options.allow;
    for (const entry of entries) {
      if (entry.id === ctx.self) continue;
      const known = ctx.peers.get(entry.id);
      // A known peer at the address we hold (the usual entry): id and address were checked when we learned them.
      const address = known && entry.addr === known.address ? known.address : isIdentity(entry.id) ? parseAddress(entry.addr) : undefined;
      if (!address) continue;
      if (known) {
        if (known.status.state === 'candidate' && !known.dialing) known.address = address;
        // Connected to the sender: alive, whatever our backoff says (a stranger's word is not enough).
        if (fromEstablished) this.redial.revive(known, now);
        continue;
      }
      if (!vouched && ctx.peers.candidates >= ctx.options.maxCandidates) continue;
      if (ctx.peers.isDropped(entry.id, now) || (allow && !allow.has(entry.id))) continue;
      const peer = ctx.peers.add(entry.id, address, now, { state: 'candidate', attempts: 0, nextDialAt: now });
      if (!peer) continue;
      this.redial.dial(peer, now, vouched);
    }
  }

  private sendPeers(connection: Connection, ask: boolean, now: number): void {
    this.ctx.out.send(connection, { v: 1, t: 'peers', peers: this.ctx.peers.entriesFor(connection.peer), ask }, now);
  }
}
