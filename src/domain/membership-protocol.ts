import type { Address } from './address';
import { Admission } from './admission';
import { AdmissionPolicy } from './admission-policy';
import type { AuthenticatedConnection, CloseCause, ConnectFailure } from './connection';
import { Connections } from './connections';
import type { ConnectionId, Effect } from './effects';
import type { Identity } from './identity';
import { Leave } from './leave';
import { Liveness } from './liveness';
import type { Message } from './messages';
import type { Member, StoredPeer } from './peer';
import { PeerExchange } from './peer-exchange';
import { learnTags, setOwnTags } from './peer-tags';
import { Pings } from './pings';
import { Pinning } from './pinning';
import { ProtocolContext } from './protocol-context';
import type { ProtocolOptions } from './protocol-options';
import { Redial } from './redial';
import { Retention } from './retention';
import { onEcho } from './round-trip';
import type { Tags } from './tags';
import { nextRound } from './timer-table';

/**
 * The membership protocol as a sans-IO state machine: every input takes the
 * current time and returns the effects to carry out; `nextWakeAt` says when
 * to call `tick`. This class owns no rule: it routes each input to the
 * module that owns it (see the comment at the top of each) and returns what
 * they pushed to the outbox.
 */
export class MembershipProtocol {
  private readonly ctx: ProtocolContext;
  private readonly redial: Redial;
  private readonly retention: Retention;
  private readonly connections: Connections;
  private readonly exchange: PeerExchange;
  private readonly admission: Admission;
  private readonly liveness: Liveness;
  private readonly leave: Leave;
  private readonly pings: Pings;
  private readonly policy: AdmissionPolicy;

  constructor(options: ProtocolOptions) {
    const ctx = new ProtocolContext(options);
    this.ctx = ctx;
    this.redial = new Redial(ctx);
    this.retention = new Retention(ctx);
    this.connections = new Connections(ctx, this.redial, this.retention);
    this.exchange = new PeerExchange(ctx, this.redial, this.connections);
    this.policy = new AdmissionPolicy(ctx, this.retention);
    this.admission = new Admission(ctx, this.redial, new Pinning(ctx, this.redial, this.retention), this.connections, this.exchange, this.policy);
    this.liveness = new Liveness(ctx, this.connections);
    this.leave = new Leave(ctx, this.retention);
    this.pings = new Pings(ctx);
  }

  get self(): Identity {
    return this.ctx.self;
  }

  /** When `tick` must be called next (epoch ms); Infinity when nothing is due. */
  get nextWakeAt(): number {
    return this.ctx.timers.next();
  }

  /** Starts the rounds, dials the seeds and every remembered peer. */
  start(now: number, seeds: readonly Address[], remembered: readonly StoredPeer[] = []): Effect[] {
    const { options, timers } = this.ctx;
    this.retention.restore(remembered, now);
    this.redial.addSeeds(seeds, now);
    timers.set('ping', nextRound(now, options.periodMs));
    timers.set('heartbeat', nextRound(now, options.heartbeatIntervalMs));
    timers.set('sync', now + options.syncIntervalMs);
    // The first tick sweeps: it dials the seeds and the remembered peers.
    timers.setEarliest('sweep', now);
    return this.tick(now);
  }

  /** A connection passed the transport's handshake. */
  connected(info: AuthenticatedConnection, now: number): Effect[] {
    this.admission.connected(info, now);
    return this.ctx.out.take();
  }

  /** A message arrived on an authenticated connection. */
  received(id: ConnectionId, message: Message, now: number): Effect[] {
    const { ctx } = this;
    const connection = ctx.connections.get(id);
    if (!connection || ctx.stopped) return ctx.out.take();
    connection.lastFrameAt = now;
    connection.framesReceived += 1;
    if (!connection.hello) {
      if (message.t === 'hello') this.admission.onHello(connection, message, now);
      else this.connections.violation(connection, `expected hello, got ${message.t}`, now);
      return ctx.out.take();
    }
    const peer = ctx.peers.get(connection.peer);
    if (peer) this.liveness.signOfLife(peer, now);
    switch (message.t) {
      case 'hello':
        this.connections.violation(connection, 'second hello', now);
        break;
      case 'peers':
        this.exchange.onPeers(connection, message, now);
        break;
      case 'sync':
        this.exchange.onSync(connection, message.digest, now);
        break;
      case 'ping':
        if (message.ack !== undefined && message.held !== undefined) onEcho(connection, message.ack, message.held, now);
        if (peer) this.pings.received(peer, message.message);
        break;
      case 'hb':
        if (message.ack !== undefined && message.held !== undefined) onEcho(connection, message.ack, message.held, now);
        break;
      case 'leave':
        if (peer) this.leave.onLeave(peer, connection, now);
        break;
      case 'tags':
        if (peer) learnTags(ctx, peer, message.tags);
        break;
    }
    return ctx.out.take();
  }

  /** A connection closed, whoever closed it. */
  closed(id: ConnectionId, cause: CloseCause, now: number): Effect[] {
    const connection = this.ctx.connections.get(id);
    if (connection) this.connections.closed(connection, cause, now);
    return this.ctx.out.take();
  }

  /** A dial ended without a connection. */
  dialFailed(address: Address, failure: ConnectFailure, now: number): Effect[] {
    const expected = this.redial.finishDial(address, now);
    if (failure.reason !== 'unreachable') {
      this.ctx.out.emit({ event: 'peer_rejected', address, reason: failure.reason, detail: failure.detail, expected, presented: failure.presented });
    }
    this.redial.failed(address, expected, failure, now);
    return this.ctx.out.take();
  }

  /** Time passed: run whatever is due. */
  tick(now: number): Effect[] {
    const { ctx } = this;
    if (ctx.stopped) return ctx.out.take();
    // The sweep scans every connection and peer: it runs when one of the deadlines it keeps is due,
    // and at each heartbeat round for the coarse ones that keep none (forgetting, pin refresh); not
    // at every wake-up.
    if (ctx.timers.isDue('sweep', now) || ctx.timers.isDue('heartbeat', now)) {
      ctx.timers.stop('sweep');
      this.connections.checkHelloTimeouts(now);
      this.sweepPeers(now);
      this.redial.dialSeeds(now);
    }
    // Pings first: a connection pinged in this tick owes no heartbeat.
    if (ctx.timers.isDue('ping', now)) this.pings.round(now);
    if (ctx.timers.isDue('heartbeat', now)) this.liveness.heartbeats(now);
    if (ctx.timers.isDue('sync', now)) this.exchange.sync(now);
    return ctx.out.take();
  }

  /** Sends the host's own ping to every connected peer now. */
  broadcast(message: string, now: number): Effect[] {
    if (!this.ctx.stopped) this.pings.send(message, now);
    return this.ctx.out.take();
  }

  /** Replaces our tags (within TAG_LIMITS: the host checks them) and tells every peer. */
  setTags(tags: Tags, now: number): Effect[] {
    if (!this.ctx.stopped) setOwnTags(this.ctx, tags, now);
    return this.ctx.out.take();
  }

  /** Graceful stop: goodbye to every peer, then nothing more. */
  stop(now: number): Effect[] {
    if (!this.ctx.stopped) this.leave.stop(now);
    return this.ctx.out.take();
  }

  members(): Member[] {
    const members: Member[] = [];
    for (const peer of this.ctx.peers.all()) {
      const status = peer.status;
      members.push({ id: peer.id, address: peer.address, state: status.state, lastSeen: peer.lastSeen, tags: peer.tags, rttMs: this.roundTripOf(peer.id) });
    }
    return members;
  }

  /** The smoothed round trip to a connected peer, once measured. */
  private roundTripOf(id: Identity): number | undefined {
    const status = this.ctx.peers.get(id)?.status;
    return status?.state === 'connected' ? this.ctx.connections.get(status.connection)?.rttMs : undefined;
  }

  /** Dials under way to an identity never reached (a seed, a peer only heard of): while any is, the view is still growing. */
  dialsToNewIdentities(): number {
    return this.redial.dialsToNewIdentities();
  }

  /** Each peer, in one pass, through the rules that have deadlines: establishment, retention, death, redial. */
  private sweepPeers(now: number): void {
    for (const peer of [...this.ctx.peers.all()]) {
      this.policy.checkEstablished(peer, now);
      if (this.retention.sweepDeparted(peer, now)) continue;
      this.liveness.checkDeath(peer, now);
      if (this.retention.sweepLost(peer, now)) continue;
      this.redial.dialIfDue(peer, now);
    }
  }
}
