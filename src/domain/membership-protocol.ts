import { type Address, formatAddress, isValidHost, isValidPort, parseAddress } from './address';
import { backoffDelay } from './backoff';
import type { CloseReason, ConnectionId, Effect } from './effects';
import type { Direction, RejectReason } from './events';
import { compareIdentities, type Identity, isIdentity, shortIdentity } from './identity';
import type { HelloMessage, Message, PeerEntry } from './messages';
import type { Member, Peer } from './peer';
import { PeerTable } from './peer-table';
import type { ProtocolOptions } from './protocol-options';

/** An authenticated connection, as the protocol is told of it. */
export interface ConnectionInfo {
  readonly id: ConnectionId;
  /** The identity the handshake proved. */
  readonly peer: Identity;
  readonly direction: Direction;
  readonly remoteHost: string;
  /** For outbound connections, the address dialled. */
  readonly dialed?: Address;
}

/** Why a dial failed; `unreachable` is silence, the others are rejections. */
export interface DialFailure {
  readonly reason: 'unreachable' | Exclude<RejectReason, 'identity_mismatch' | 'not_allowed'>;
  readonly detail: string;
  readonly presented?: Identity;
}

/** How a connection closed, as the transport saw it. */
export interface ClosedCause {
  readonly kind: 'local' | 'remote' | 'error' | 'protocol' | 'timeout';
  readonly detail: string;
}

/** A peer remembered from a previous run. */
export interface RememberedPeer {
  readonly id: Identity;
  readonly address: Address;
  readonly lastSeen: number;
}

interface Connection extends ConnectionInfo {
  readonly openedAt: number;
  hello: boolean;
  lastFrameAt: number;
  lastSentAt: number;
}

/** How often the pin of a peer that stays connected gets a fresh last-seen time: cheap, and far below any sensible reconnect timeout. */
const PIN_REFRESH_MS = 60 * 60 * 1000;

interface Seed {
  attempts: number;
  nextDialAt: number | undefined;
}

/**
 * The membership protocol as a sans-IO state machine: every input takes the
 * current time and returns the effects to carry out; `nextWakeAt` says when
 * to call `tick`. It owns the join crawl, the one-connection-per-pair rule,
 * liveness, redialling with backoff, the peer-list exchange that heals splits,
 * graceful leave, and the bounds that keep hostile input harmless.
 */
export class MembershipProtocol {
  private readonly peers: PeerTable;
  private readonly connections = new Map<ConnectionId, Connection>();
  private readonly seeds = new Map<Address, Seed>();
  /** Dials under way, by address, with the identity expected there. */
  private readonly dialing = new Map<Address, Identity | undefined>();
  /** When each address last raised the key-change alarm. */
  private readonly alarms = new Map<Address, number>();
  private effects: Effect[] = [];
  private wakeAt = Number.POSITIVE_INFINITY;
  private nextPingAt = Number.POSITIVE_INFINITY;
  private nextHeartbeatAt = Number.POSITIVE_INFINITY;
  private nextSyncAt = Number.POSITIVE_INFINITY;
  private pingSeq = 0;
  private stopped = false;

  constructor(private readonly options: ProtocolOptions) {
    this.peers = new PeerTable(options.maxPeers, options.reconnectTimeoutMs);
  }

  get self(): Identity {
    return this.options.self;
  }

  /** When `tick` must be called next (epoch ms); Infinity when nothing is due. */
  get nextWakeAt(): number {
    return this.wakeAt;
  }

  /** Starts the rounds, dials the seeds and every remembered peer. */
  start(now: number, seeds: readonly Address[], remembered: readonly RememberedPeer[] = []): Effect[] {
    for (const stored of remembered) {
      if (stored.id === this.self || this.peers.get(stored.id)) continue;
      const peer = this.peers.add(stored.id, stored.address, stored.lastSeen, true);
      // Its silence began before this run: redial it, but do not report it dead.
      if (peer) peer.deadReported = true;
    }
    for (const address of seeds) this.seeds.set(address, { attempts: 0, nextDialAt: now });
    this.nextPingAt = now + this.options.periodMs;
    this.nextHeartbeatAt = now + this.options.heartbeatIntervalMs;
    this.nextSyncAt = now + this.options.syncIntervalMs;
    return this.tick(now);
  }

  /** A connection passed the transport's handshake. */
  connected(info: ConnectionInfo, now: number): Effect[] {
    const expected = info.dialed === undefined ? undefined : this.finishDial(info.dialed);
    if (this.stopped) return this.close(info.id, 'leaving');
    if (info.peer === this.self) {
      if (info.dialed) this.seeds.delete(info.dialed);
      this.log('debug', 'dialled ourselves; closing', { address: info.dialed });
      return this.close(info.id, 'rejected');
    }
    if (expected && expected !== info.peer) return this.mismatch(info, expected, now);
    if (this.options.allow && !this.options.allow.has(info.peer)) {
      if (info.dialed) this.seeds.delete(info.dialed);
      const address = info.dialed ?? info.remoteHost;
      this.emit({ event: 'peer_rejected', address, reason: 'not_allowed', presented: info.peer });
      return this.close(info.id, 'rejected');
    }
    // Fields written out (no spread) so that every record shares one hidden class: thousands of them live at once.
    const connection: Connection = {
      id: info.id,
      peer: info.peer,
      direction: info.direction,
      remoteHost: info.remoteHost,
      dialed: info.dialed,
      openedAt: now,
      hello: false,
      lastFrameAt: now,
      lastSentAt: now,
    };
    this.connections.set(info.id, connection);
    this.send(connection, this.hello(info.peer), now);
    this.wake(now + this.options.helloTimeoutMs);
    return this.flush();
  }

  /** A message arrived on an authenticated connection. */
  received(id: ConnectionId, message: Message, now: number): Effect[] {
    const connection = this.connections.get(id);
    if (!connection || this.stopped) return this.flush();
    connection.lastFrameAt = now;
    if (!connection.hello) {
      if (message.t !== 'hello') return this.violation(connection, `expected hello, got ${message.t}`, now);
      return this.onHello(connection, message, now);
    }
    const peer = this.peers.get(connection.peer);
    if (peer) {
      peer.lastSeen = now;
      peer.deadReported = false;
    }
    switch (message.t) {
      case 'hello':
        return this.violation(connection, 'second hello', now);
      case 'peers':
        if (message.peers.length > this.options.maxListEntries) {
          return this.violation(connection, `peer list of ${message.peers.length} entries`, now);
        }
        this.merge(message.peers, now);
        if (message.ask) this.sendPeers(connection, false, now);
        break;
      case 'sync':
        if (message.digest !== this.peers.digestFor(this.self, connection.peer)) this.sendPeers(connection, true, now);
        break;
      case 'ping':
        if (peer) this.emit({ event: 'ping_received', peer: peer.id, address: peer.address, message: message.message });
        break;
      case 'hb':
        break;
      case 'leave':
        if (peer) this.onLeave(peer, connection);
        break;
    }
    return this.flush();
  }

  /** A connection closed, whoever closed it. */
  closed(id: ConnectionId, cause: ClosedCause, now: number): Effect[] {
    const connection = this.connections.get(id);
    if (connection) this.onClosed(connection, cause, now);
    return this.flush();
  }

  /** A dial ended without a connection. */
  dialFailed(address: Address, failure: DialFailure, now: number): Effect[] {
    const expected = this.finishDial(address);
    if (failure.reason !== 'unreachable') {
      this.emit({ event: 'peer_rejected', address, reason: failure.reason, detail: failure.detail, expected, presented: failure.presented });
    }
    if (expected) {
      const peer = this.peers.get(expected);
      if (peer && !this.stopped) this.retryLater(peer, now);
    }
    const seed = this.seeds.get(address);
    if (seed && seed.attempts === 0) {
      this.log('warn', `cannot reach ${address} to join through; retrying with backoff`, { address, detail: failure.detail });
    }
    this.retrySeed(address, now);
    return this.flush();
  }

  /** Time passed: run whatever is due. */
  tick(now: number): Effect[] {
    if (this.stopped) return this.flush();
    this.wakeAt = Number.POSITIVE_INFINITY;
    this.checkConnections(now);
    this.checkPeers(now);
    this.dialSeeds(now);
    if (now >= this.nextHeartbeatAt) this.heartbeats(now);
    if (now >= this.nextPingAt) this.ping(undefined, now);
    if (now >= this.nextSyncAt) this.sync(now);
    this.wake(this.nextHeartbeatAt);
    this.wake(this.nextPingAt);
    this.wake(this.nextSyncAt);
    return this.flush();
  }

  /** Sends the host's own ping to every connected peer now. */
  broadcast(message: string, now: number): Effect[] {
    if (!this.stopped) this.ping(message, now);
    return this.flush();
  }

  /** Graceful stop: goodbye to every peer, then nothing more. */
  stop(now: number): Effect[] {
    if (this.stopped) return this.flush();
    this.stopped = true;
    for (const peer of this.peers.all()) if (peer.state === 'connected') this.refreshPin(peer, now);
    for (const connection of this.connections.values()) {
      if (connection.hello) this.send(connection, { v: 1, t: 'leave' }, now);
      this.effects.push({ type: 'close', connection: connection.id, reason: 'leaving' });
    }
    this.connections.clear();
    this.wakeAt = Number.POSITIVE_INFINITY;
    return this.flush();
  }

  members(): Member[] {
    const members: Member[] = [];
    for (const peer of this.peers.all()) {
      members.push({ id: peer.id, address: peer.address, state: peer.state, lastSeen: peer.lastSeen });
    }
    return members;
  }

  /** Dials under way to an identity never reached (a seed, a peer only heard of): while any is, the view is still growing. */
  dialsToNewIdentities(): number {
    let count = 0;
    for (const expected of this.dialing.values()) if (expected === undefined || this.peers.get(expected)?.verified !== true) count += 1;
    return count;
  }

  // ---- connection life ----------------------------------------------------

  private onHello(connection: Connection, hello: HelloMessage, now: number): Effect[] {
    if (hello.id !== connection.peer) return this.violation(connection, 'hello claims another identity', now);
    const host = hello.host ?? connection.remoteHost;
    if (!isValidHost(host) || !isValidPort(hello.port)) return this.violation(connection, 'hello with a bad address', now);
    const address = formatAddress(host, hello.port);
    connection.hello = true;
    if (connection.dialed) this.seeds.delete(connection.dialed);
    let peer = this.peers.get(connection.peer);
    if (!peer) {
      peer = this.peers.add(connection.peer, address, now, false);
      if (!peer) {
        this.log('warn', 'peer table full; refusing a new peer', { peer: connection.peer });
        return this.close(connection.id, 'rejected');
      }
    }
    peer.address = address;
    peer.lastSeen = now;
    peer.deadReported = false;
    if (peer.state === 'left') this.peers.setLeft(peer, false);
    if (peer.connection !== undefined && peer.connection !== connection.id) {
      this.resolveDuplicate(peer, connection, now);
    } else {
      this.becomeConnected(peer, connection, now);
    }
    if (hello.digest !== this.peers.digestFor(this.self, peer.id)) this.sendPeers(connection, false, now);
    return this.flush();
  }

  private becomeConnected(peer: Peer, connection: Connection, now: number): void {
    peer.connection = connection.id;
    if (peer.state === 'connected') return;
    const reconnect = peer.verified;
    peer.state = 'connected';
    peer.verified = true;
    peer.attempts = 0;
    peer.nextDialAt = undefined;
    this.emit({ event: 'peer_connected', peer: peer.id, address: peer.address, direction: connection.direction, reconnect });
    this.refreshPin(peer, now);
  }

  /**
   * Two connections to one peer: keep one, close the other quietly. Both ends
   * pick the same one: the one dialled by the smaller identity; of two dialled
   * the same way, the newer (the peer dialled afresh, so the old one is dead).
   */
  private resolveDuplicate(peer: Peer, fresh: Connection, now: number): void {
    const current = this.connections.get(peer.connection as ConnectionId);
    if (!current) {
      this.becomeConnected(peer, fresh, now);
      return;
    }
    const preferred: Direction = compareIdentities(this.self, peer.id) < 0 ? 'outbound' : 'inbound';
    const keepFresh = current.direction === fresh.direction || fresh.direction === preferred;
    const [keep, drop] = keepFresh ? [fresh, current] : [current, fresh];
    peer.connection = keep.id;
    this.connections.delete(drop.id);
    this.effects.push({ type: 'close', connection: drop.id, reason: 'duplicate' });
    // A heartbeat on the kept connection finds out soon if it is a dead one.
    this.send(keep, { v: 1, t: 'hb' }, now);
  }

  /** Another authenticated connection to the same peer, to fall back on quietly. */
  private spareConnection(peer: Identity): Connection | undefined {
    for (const connection of this.connections.values()) {
      if (connection.peer === peer) return connection;
    }
    return undefined;
  }

  private onClosed(connection: Connection, cause: ClosedCause, now: number): void {
    this.connections.delete(connection.id);
    const peer = this.peers.get(connection.peer);
    if (cause.kind === 'protocol') {
      this.emit({ event: 'peer_rejected', address: peer?.address ?? connection.remoteHost, reason: 'protocol', detail: cause.detail, presented: connection.peer });
    }
    if (!connection.hello) this.abandoned(connection, now);
    if (!peer || peer.connection !== connection.id) return;
    const spare = this.spareConnection(peer.id);
    if (spare) {
      peer.connection = spare.id;
      return;
    }
    this.disconnect(peer, cause.kind === 'protocol' ? `protocol: ${cause.detail}` : cause.detail || cause.kind, now);
  }

  private disconnect(peer: Peer, reason: string, now: number): void {
    peer.connection = undefined;
    if (peer.state !== 'connected') return;
    peer.state = 'disconnected';
    this.emit({ event: 'peer_disconnected', peer: peer.id, address: peer.address, reason });
    this.effects.push({ type: 'remember', peer: peer.id, address: peer.address, lastSeen: peer.lastSeen });
    this.retryLater(peer, now);
    this.wake(peer.lastSeen + this.options.deadAfterMs);
  }

  /** Persists the pin with a fresh last-seen time, so a long-lived connection is not forgotten across a restart. */
  private refreshPin(peer: Peer, now: number): void {
    peer.rememberedAt = now;
    this.effects.push({ type: 'remember', peer: peer.id, address: peer.address, lastSeen: now });
  }

  private forgetPeer(peer: Peer, now: number): void {
    this.peers.remove(peer, now);
    this.effects.push({ type: 'forget', peer: peer.id });
  }

  private onLeave(peer: Peer, connection: Connection): void {
    this.emit({ event: 'peer_left', peer: peer.id, address: peer.address });
    this.connections.delete(connection.id);
    this.effects.push({ type: 'close', connection: connection.id, reason: 'leaving' });
    if (peer.state === 'connected') {
      this.emit({ event: 'peer_disconnected', peer: peer.id, address: peer.address, reason: 'left' });
    }
    peer.connection = undefined;
    peer.nextDialAt = undefined;
    this.peers.setLeft(peer, true);
  }

  private violation(connection: Connection, detail: string, now: number): Effect[] {
    this.log('debug', 'peer broke the protocol; closing its connection', { peer: connection.peer, detail });
    const effects = this.close(connection.id, 'protocol');
    // Report it as the transport would, so every protocol failure takes one path.
    return effects.concat(this.closed(connection.id, { kind: 'protocol', detail }, now));
  }

  private mismatch(info: ConnectionInfo, expected: Identity, now: number): Effect[] {
    const address = info.dialed as Address;
    this.emit({ event: 'peer_rejected', address, reason: 'identity_mismatch', expected, presented: info.peer });
    const lastAlarm = this.alarms.get(address);
    if (lastAlarm === undefined || now - lastAlarm >= this.options.reconnectMaxMs) {
      // Bounded: only addresses we chose to dial get here.
      if (this.alarms.size >= this.options.maxPeers) this.alarms.clear();
      this.alarms.set(address, now);
      this.log('warn', `the key at ${address} changed: expected ${expected}, presented ${info.peer}; refused, pin kept`, {
        address, expected, presented: info.peer,
      });
    }
    const peer = this.peers.get(expected);
    if (peer) this.retryLater(peer, now);
    return this.close(info.id, 'rejected');
  }

  // ---- the crawl and the merge --------------------------------------------

  /** Learn every new identity of a peer list and dial it at once: that is the crawl. */
  private merge(entries: readonly PeerEntry[], now: number): void {
    for (const entry of entries) {
      if (!isIdentity(entry.id) || entry.id === this.self) continue;
      const address = parseAddress(entry.addr);
      if (!address) continue;
      const known = this.peers.get(entry.id);
      if (known) {
        if (known.state === 'candidate' && !known.dialing) known.address = address;
        continue;
      }
      if (this.peers.isDropped(entry.id, now) || (this.options.allow && !this.options.allow.has(entry.id))) continue;
      const peer = this.peers.add(entry.id, address, now, false);
      if (!peer) return;
      this.dial(peer, now);
    }
  }

  private sendPeers(connection: Connection, ask: boolean, now: number): void {
    this.send(connection, { v: 1, t: 'peers', peers: this.peers.entriesFor(connection.peer), ask }, now);
  }

  private hello(receiver: Identity): HelloMessage {
    const { advertisePort, advertiseHost } = this.options;
    const digest = this.peers.digestFor(this.self, receiver);
    return advertiseHost === undefined
      ? { v: 1, t: 'hello', id: this.self, port: advertisePort, digest }
      : { v: 1, t: 'hello', id: this.self, port: advertisePort, host: advertiseHost, digest };
  }

  // ---- rounds ---------------------------------------------------------------

  private checkConnections(now: number): void {
    for (const connection of [...this.connections.values()]) {
      if (connection.hello) continue;
      const deadline = connection.openedAt + this.options.helloTimeoutMs;
      if (now < deadline) {
        this.wake(deadline);
        continue;
      }
      this.emit({ event: 'peer_rejected', address: connection.dialed ?? connection.remoteHost, reason: 'timeout', detail: 'no hello', presented: connection.peer });
      this.effects.push({ type: 'close', connection: connection.id, reason: 'timeout' });
      this.onClosed(connection, { kind: 'timeout', detail: 'no hello' }, now);
    }
  }

  private checkPeers(now: number): void {
    for (const peer of [...this.peers.all()]) {
      const silentMs = now - peer.lastSeen;
      if (peer.state === 'left') {
        if (silentMs >= this.options.reconnectTimeoutMs) this.forgetPeer(peer, now);
        continue;
      }
      if (peer.state === 'connected' && now - peer.rememberedAt >= PIN_REFRESH_MS) this.refreshPin(peer, now);
      if (peer.state === 'connected' || (peer.state === 'disconnected' && !peer.deadReported)) {
        if (silentMs >= this.options.deadAfterMs) this.declareDead(peer, silentMs, now);
        else this.wake(peer.lastSeen + this.options.deadAfterMs);
      }
      if (peer.state === 'disconnected' && silentMs >= this.options.reconnectTimeoutMs && !peer.dialing) {
        this.forgetPeer(peer, now);
        continue;
      }
      if (peer.nextDialAt !== undefined && peer.state !== 'connected') {
        if (peer.nextDialAt <= now) this.dial(peer, now);
        else this.wake(peer.nextDialAt);
      }
    }
  }

  private declareDead(peer: Peer, silentMs: number, now: number): void {
    peer.deadReported = true;
    this.emit({ event: 'peer_dead', peer: peer.id, address: peer.address, silentMs });
    if (peer.state !== 'connected') return;
    const connection = peer.connection;
    if (connection !== undefined) {
      this.connections.delete(connection);
      this.effects.push({ type: 'close', connection, reason: 'dead' });
    }
    this.disconnect(peer, 'dead', now);
  }

  private dialSeeds(now: number): void {
    for (const [address, seed] of this.seeds) {
      if (seed.nextDialAt === undefined) continue;
      if (seed.nextDialAt > now) {
        this.wake(seed.nextDialAt);
      } else if (!this.dialing.has(address)) {
        seed.nextDialAt = undefined;
        this.startDial(address, undefined);
      }
    }
  }

  private heartbeats(now: number): void {
    const interval = this.options.heartbeatIntervalMs;
    for (const connection of this.connections.values()) {
      // Anything sent in the last half interval already says we are alive.
      if (connection.hello && now - connection.lastSentAt >= interval / 2) this.send(connection, { v: 1, t: 'hb' }, now);
    }
    this.nextHeartbeatAt = now + interval;
  }

  /** Pings every connected peer: the host's message, or the numbered one of each period. */
  private ping(hostMessage: string | undefined, now: number): void {
    if (hostMessage === undefined) this.nextPingAt = now + this.options.periodMs;
    const targets: Connection[] = [];
    for (const peer of this.peers.all()) {
      const connection = peer.connection === undefined ? undefined : this.connections.get(peer.connection);
      if (connection) targets.push(connection);
    }
    if (targets.length === 0) return;
    this.pingSeq += 1;
    const message = hostMessage ?? `ping ${this.pingSeq} from ${shortIdentity(this.self)}`;
    for (const connection of targets) this.send(connection, { v: 1, t: 'ping', seq: this.pingSeq, message }, now);
    this.emit({ event: 'ping_sent', peers: targets.length, message });
  }

  /** Anti-entropy: compare digests with one random peer; an exchange follows if they differ. */
  private sync(now: number): void {
    this.nextSyncAt = now + this.options.syncIntervalMs;
    const connected = [...this.connections.values()].filter((connection) => connection.hello);
    const partner = connected[Math.floor(this.options.random() * connected.length)];
    if (partner) this.send(partner, { v: 1, t: 'sync', digest: this.peers.digestFor(this.self, partner.peer) }, now);
  }

  // ---- dialling -------------------------------------------------------------

  private dial(peer: Peer, now: number): void {
    if (this.dialing.has(peer.address)) {
      // Another dial holds the address (a seed, or a second identity claiming it): not a failure.
      peer.nextDialAt = now + this.backoff(peer.attempts);
      this.wake(peer.nextDialAt);
      return;
    }
    peer.dialing = true;
    peer.nextDialAt = undefined;
    this.startDial(peer.address, peer.id);
  }

  private startDial(address: Address, expected: Identity | undefined): void {
    this.dialing.set(address, expected);
    this.effects.push(expected === undefined ? { type: 'dial', address } : { type: 'dial', address, expected });
  }

  /** Ends the dial record of an address; returns the identity that was expected there. */
  private finishDial(address: Address): Identity | undefined {
    const expected = this.dialing.get(address);
    this.dialing.delete(address);
    const peer = expected === undefined ? undefined : this.peers.get(expected);
    if (peer) peer.dialing = false;
    return expected;
  }

  /** A connection closed before its hello: whatever it was meant to reach is tried again later. */
  private abandoned(connection: Connection, now: number): void {
    if (connection.dialed) this.retrySeed(connection.dialed, now);
    const peer = this.peers.get(connection.peer);
    if (peer && !peer.dialing && peer.nextDialAt === undefined && !this.spareConnection(peer.id)) this.retryLater(peer, now);
  }

  private retrySeed(address: Address, now: number): void {
    const seed = this.seeds.get(address);
    if (!seed || this.stopped) return;
    seed.nextDialAt = now + this.backoff(seed.attempts);
    seed.attempts += 1;
    this.wake(seed.nextDialAt);
  }

  private retryLater(peer: Peer, now: number): void {
    if (peer.state === 'connected' || peer.state === 'left') return;
    peer.attempts += 1;
    if (!peer.verified && peer.attempts >= this.options.maxUnverifiedAttempts) {
      this.peers.remove(peer, now);
      this.log('debug', 'dropping a peer that was never reached', { peer: peer.id, address: peer.address });
      return;
    }
    peer.nextDialAt = now + this.backoff(peer.attempts - 1);
    this.wake(peer.nextDialAt);
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.options.reconnectInitialMs, this.options.reconnectMaxMs, this.options.random());
  }

  // ---- effects --------------------------------------------------------------

  private send(connection: Connection, message: Message, now: number): void {
    connection.lastSentAt = now;
    this.effects.push({ type: 'send', connection: connection.id, message });
  }

  private close(connection: ConnectionId, reason: CloseReason): Effect[] {
    this.effects.push({ type: 'close', connection, reason });
    return this.flush();
  }

  private emit(event: Parameters<typeof emitEffect>[0]): void {
    this.effects.push(emitEffect(event));
  }

  private log(level: 'debug' | 'info' | 'warn', message: string, fields: Record<string, unknown>): void {
    this.effects.push({ type: 'log', level, message, fields });
  }

  private wake(at: number): void {
    if (at < this.wakeAt) this.wakeAt = at;
  }

  private flush(): Effect[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }
}

function emitEffect(event: Extract<Effect, { type: 'emit' }>['event']): Effect {
  return { type: 'emit', event };
}
