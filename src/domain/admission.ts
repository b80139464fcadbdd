import { formatAddress, isValidHost, isValidPort } from './address';
import type { AdmissionPolicy } from './admission-policy';
import type { AuthenticatedConnection, Connection } from './connection';
import type { Connections } from './connections';
import type { Identity } from './identity';
import type { HelloMessage } from './messages';
import { isConnected } from './peer';
import type { PeerExchange } from './peer-exchange';
import { learnTags } from './peer-tags';
import type { Pinning } from './pinning';
import type { ProtocolContext } from './protocol-context';
import type { Redial } from './redial';
import { NO_TAGS } from './tag-values';
import { resolveDuplicate } from './tie-break';

/**
 * Owns the rule "Identity": the identity is the one the handshake proved,
 * never the one a peer claims; a hello that claims another is a rejection.
 * Also who is admitted at all: never ourselves, only the allowlist when one
 * is set, only while the peer table has room (strangers give way, see
 * admission-policy.ts), new identities from one host at a bounded rate; and
 * the hello each side sends first.
 */
export class Admission {
  constructor(
    private readonly ctx: ProtocolContext,
    private readonly redial: Redial,
    private readonly pinning: Pinning,
    private readonly connections: Connections,
    private readonly exchange: PeerExchange,
    private readonly policy: AdmissionPolicy,
  ) {}

  /** A connection passed the transport's handshake: check who it is, then say hello. */
  connected(info: AuthenticatedConnection, now: number): void {
    const { ctx } = this;
    const expected = info.dialed === undefined ? undefined : this.redial.finishDial(info.dialed, now);
    if (ctx.stopped) {
      ctx.out.close(info.id, 'leaving');
      return;
    }
    if (info.peer === ctx.self) {
      if (info.dialed) this.redial.forgetSeed(info.dialed);
      ctx.out.log('debug', 'dialled ourselves; closing', { address: info.dialed });
      ctx.out.close(info.id, 'rejected');
      return;
    }
    if (expected && expected !== info.peer) {
      this.pinning.mismatch(info, expected, now);
      return;
    }
    const allow = ctx.options.allow;
    if (allow && !allow.has(info.peer)) {
      if (info.dialed) this.redial.forgetSeed(info.dialed);
      ctx.out.emit({ event: 'peer_rejected', address: info.dialed ?? info.remoteHost, reason: 'not_allowed', presented: info.peer });
      ctx.out.close(info.id, 'rejected');
      return;
    }
    if (info.direction === 'inbound' && !ctx.peers.get(info.peer) && !this.policy.admitsNewIdentity(info.remoteHost, now)) {
      ctx.out.log('debug', 'too many new identities from one host; refusing this one', { host: info.remoteHost, peer: info.peer });
      ctx.out.close(info.id, 'rejected');
      return;
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
      priorSentAt: now,
      framesReceived: 0,
      framesSent: 0,
      echoedAt: Number.NEGATIVE_INFINITY,
      rttMs: undefined,
      knowsLearned: 0,
      toSeed: info.dialed !== undefined && this.redial.isSeed(info.dialed),
    };
    ctx.connections.set(info.id, connection);
    ctx.out.send(connection, this.hello(info.peer), now);
    ctx.timers.setEarliest('sweep', now + ctx.options.helloTimeoutMs);
  }

  /** The first message on a connection. */
  onHello(connection: Connection, hello: HelloMessage, now: number): void {
    const { ctx } = this;
    if (hello.id !== connection.peer) {
      this.connections.violation(connection, 'hello claims another identity', now);
      return;
    }
    const host = hello.host ?? connection.remoteHost;
    if (!isValidHost(host) || !isValidPort(hello.port)) {
      this.connections.violation(connection, 'hello with a bad address', now);
      return;
    }
    const address = formatAddress(host, hello.port);
    connection.hello = true;
    if (connection.dialed) this.redial.forgetSeed(connection.dialed);
    let peer = ctx.peers.get(connection.peer);
    if (!peer) {
      peer = ctx.peers.add(connection.peer, address, now, { state: 'candidate', attempts: 0, nextDialAt: now });
      if (!peer) {
        ctx.out.log('warn', 'peer table full; refusing a new peer', { peer: connection.peer });
        ctx.out.close(connection.id, 'rejected');
        return;
      }
    }
    peer.address = address;
    peer.lastSeen = now;
    // We dialled it there and met it: reached, not only claimed (see Pinning).
    if (connection.dialed) peer.reachedAt = connection.dialed;
    learnTags(ctx, peer, hello.tags ?? NO_TAGS);
    const reconnected = peer.status.state === 'disconnected';
    if (isConnected(peer) && peer.status.connection !== connection.id) {
      resolveDuplicate(ctx, peer, connection, now);
    } else {
      const fresh = peer.status.state !== 'connected';
      this.connections.becomeConnected(peer, connection, now);
      // Passed on to the joiners that came through us: a peer we dialled and met, or a member back (it dialled us).
      if (fresh && (connection.dialed !== undefined || peer.established)) this.exchange.reached(peer, now);
    }
    this.exchange.afterHello(connection, hello.digest, reconnected, now);
  }

  private hello(receiver: Identity): HelloMessage {
    const { advertisePort, advertiseHost } = this.ctx.options;
    const digest = this.ctx.peers.digestFor(this.ctx.self, receiver);
    const hello: HelloMessage = advertiseHost === undefined
      ? { v: 1, t: 'hello', id: this.ctx.self, port: advertisePort, digest }
      : { v: 1, t: 'hello', id: this.ctx.self, port: advertisePort, host: advertiseHost, digest };
    // No tags is no field: most nodes have none, and every hello is parsed by a peer.
    return this.ctx.tags === NO_TAGS ? hello : { ...hello, tags: this.ctx.tags };
  }
}
