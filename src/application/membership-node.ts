import { inject, injectable } from 'inversify';
import { type Address, formatAddress, splitAddress } from '../domain/address';
import type { Effect } from '../domain/effects';
import type { ListeningEvent, NodeEvent } from '../domain/events';
import type { AuthenticatedConnection, CloseCause, ConnectFailure } from '../domain/connection';
import { MembershipProtocol } from '../domain/membership-protocol';
import type { Member } from '../domain/peer';
import { PROTOCOL_DEFAULTS } from '../domain/protocol-options';
import { LIMITS } from '../domain/messages';
import { type Tags, tagsProblem } from '../domain/tags';
import { utf8Bytes } from '../domain/utf8';
import { ConfigurationError } from './configuration.error';
import { EventFeed } from './event-feed';
import { Clock, type TimerHandle } from './ports/clock.port';
import { KeyStore } from './ports/key-store.port';
import { Logger } from './ports/logger.port';
import { Output } from './ports/output.port';
import { PeerStore } from './ports/peer-store.port';
import { Random } from './ports/random.port';
import { Transport, type TransportHandlers } from './ports/transport.port';
import { NodeSettings } from './node-settings';
import { type PeerStoreStatus, PeerStoreWriter } from './peer-store-writer';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/**
 * The node's use-cases: start (listen, load pins, join), run the rounds,
 * handle connections, leave. It feeds the protocol's inputs from the ports and
 * carries out the protocol's effects; it decides nothing itself.
 */
@injectable()
export class MembershipNode {
  private protocol: MembershipProtocol | undefined;
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly storeWriter: PeerStoreWriter;
  private state: 'new' | 'starting' | 'running' | 'stopped' = 'new';
  private ownTags: Tags | undefined;
  /** Every event, as the Output adapter gets it, for whoever subscribes while the node runs (the admin API, metrics). */
  readonly events = new EventFeed();
  private listened: ListeningEvent | undefined;

  constructor(
    @inject(Transport) private readonly transport: Transport,
    @inject(Clock) private readonly clock: Clock,
    @inject(Random) private readonly random: Random,
    @inject(KeyStore) private readonly keyStore: KeyStore,
    @inject(Output) private readonly output: Output,
    /** Also the CLI's, for what it reports itself (the stack of an unexpected error, at debug). */
    @inject(Logger) readonly logger: Logger,
    @inject(PeerStore) private readonly peerStore: PeerStore,
    @inject(NodeSettings) private readonly settings: NodeSettings,
  ) {
    this.storeWriter = new PeerStoreWriter(peerStore, clock, logger);
  }

  /** Whether the pins reach the disk (for metrics and status pages); a node runs on when they do not. */
  get storeStatus(): PeerStoreStatus {
    return this.storeWriter.status;
  }

  /** Listens, then joins; resolves with the `listening` event once peers can connect. `admin` is where the host serves the admin API. */
  async start(extra: { readonly admin?: string } = {}): Promise<ListeningEvent> {
    if (this.state !== 'new') throw new Error(`cannot start a node that is ${this.state}`);
    this.state = 'starting';
    const credentials = await this.keyStore.load();
    const remembered = await this.peerStore.load();
    const bound = await this.transport.listen(
      { host: this.settings.host, port: this.settings.port, credentials },
      this.handlers(),
    );
    const advertised = this.settings.advertise ? splitAddress(this.settings.advertise) : undefined;
    const advertiseHost = advertised?.host ?? (WILDCARD_HOSTS.has(bound.host) ? undefined : bound.host);
    const advertisePort = advertised?.port ?? bound.port;
    const { settings } = this;
    this.protocol = new MembershipProtocol({
      ...PROTOCOL_DEFAULTS,
      ...settings.tuning,
      self: credentials.identity,
      advertisePort,
      advertiseHost,
      periodMs: settings.periodMs,
      heartbeatIntervalMs: settings.heartbeatIntervalMs,
      deadAfterMs: settings.deadAfterMs,
      reconnectMaxMs: settings.reconnectMaxMs,
      reconnectTimeoutMs: settings.reconnectTimeoutMs,
      allow: settings.allow,
      tags: this.tags,
      random: () => this.random.next(),
    });
    this.state = 'running';
    const listening: ListeningEvent = {
      event: 'listening',
      id: credentials.identity,
      address: formatAddress(bound.host, bound.port),
      advertise: advertiseHost === undefined ? `*:${advertisePort}` : formatAddress(advertiseHost, advertisePort),
      tags: this.tags,
      ...(extra.admin === undefined ? {} : { admin: extra.admin }),
    };
    this.listened = listening;
    this.publish(listening);
    this.apply(this.protocol.start(this.clock.now(), settings.connect, remembered));
    return listening;
  }

  /** Says goodbye to every peer, closes every connection and makes the pins durable if the disk allows. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const protocol = this.protocol;
    this.state = 'stopped';
    if (protocol) this.apply(protocol.stop(this.clock.now()));
    this.cancelTimer();
    await this.transport.shutdown();
    // Never rejects: a store that cannot be written keeps its last good file, and the stop goes on.
    // A node that never ran changed nothing (and its store may be the unreadable file that stopped the start).
    if (protocol) await this.storeWriter.close();
  }

  /** Sends the host's own ping message to every connected peer. */
  broadcast(message: string): void {
    const bytes = utf8Bytes(message);
    if (bytes > LIMITS.maxPingMessageBytes) throw new ConfigurationError(`message: must be at most ${LIMITS.maxPingMessageBytes} bytes of UTF-8 (got ${bytes})`);
    if (this.protocol && this.state === 'running') this.apply(this.protocol.broadcast(message, this.clock.now()));
  }

  members(): Member[] {
    return this.protocol?.members() ?? [];
  }

  /** The `listening` event, once the node listens. */
  get listening(): ListeningEvent | undefined {
    return this.listened;
  }

  /** This node's tags: `--tag` at start, then whatever `setTags` set. */
  get tags(): Tags {
    return this.ownTags ?? this.settings.tags ?? {};
  }

  /** Replaces this node's tags and tells every connected peer (`peer_updated` there); throws a ConfigurationError naming what is wrong. */
  setTags(tags: Tags): void {
    const problem = tagsProblem(tags);
    if (problem !== undefined) throw new ConfigurationError(`tags: ${problem}`);
    this.ownTags = { ...tags };
    if (this.protocol && this.state === 'running') this.apply(this.protocol.setTags(this.ownTags, this.clock.now()));
  }

  /** Dials under way to identities never reached: the view is still growing while there are any. */
  dialsToNewIdentities(): number {
    return this.protocol?.dialsToNewIdentities() ?? 0;
  }

  /** The node's clock, for readers that date a snapshot. */
  now(): number {
    return this.clock.now();
  }

  private handlers(): TransportHandlers {
    const input = (run: (protocol: MembershipProtocol, now: number) => Effect[]): void => {
      if (this.protocol && this.state === 'running') this.apply(run(this.protocol, this.clock.now()));
    };
    return {
      connected: (connection: AuthenticatedConnection) => {
        if (this.protocol && this.state === 'running') input((p, now) => p.connected(connection, now));
        else this.transport.close(connection.id);
      },
      dialFailed: (address: Address, failure: ConnectFailure) => input((p, now) => p.dialFailed(address, failure, now)),
      rejected: (remote, failure) => {
        if (this.state !== 'running') return;
        // Events never show an ephemeral source port: only the host is known to be the peer's.
        const address = splitAddress(remote)?.host ?? remote;
        const reason = failure.reason === 'unreachable' ? 'protocol' : failure.reason;
        this.publish({ event: 'peer_rejected', address, reason, detail: failure.detail, presented: failure.presented });
      },
      message: (connection, message) => input((p, now) => p.received(connection, message, now)),
      closed: (connection, cause: CloseCause) => input((p, now) => p.closed(connection, cause, now)),
    };
  }

  private apply(effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'dial':
          this.logger.debug({ address: effect.address, expected: effect.expected }, 'dialling');
          this.transport.dial(effect.address);
          break;
        case 'send':
          this.transport.send(effect.connection, effect.message);
          break;
        case 'close':
          this.logger.debug({ conn: effect.connection, reason: effect.reason }, 'closing');
          this.transport.close(effect.connection);
          break;
        case 'emit':
          this.publish(effect.event);
          break;
        case 'log':
          this.logger[effect.level](effect.fields, effect.message);
          break;
        case 'remember':
          this.peerStore.remember({ id: effect.peer, address: effect.address, lastSeen: effect.lastSeen });
          this.storeWriter.changed();
          break;
        case 'forget':
          this.peerStore.forget(effect.peer);
          this.storeWriter.changed();
          break;
      }
    }
    this.scheduleTick();
  }

  private publish(event: NodeEvent): void {
    const at = new Date(this.clock.now());
    this.output.emit(event, at);
    this.events.emit(event, at);
    const { event: name, ...fields } = event;
    // One info record per connection change; the warn records are the protocol's own (the key-change alarm).
    if (name === 'ping_sent' || name === 'ping_received') this.logger.trace(fields, name);
    else if (name === 'peer_dead') this.logger.warn(fields, name);
    else this.logger.info(fields, name);
  }

  private scheduleTick(): void {
    const at = this.protocol?.nextWakeAt ?? Number.POSITIVE_INFINITY;
    if (this.state !== 'running' || at >= this.timerAt) return;
    this.cancelTimer();
    if (!Number.isFinite(at)) return;
    this.timerAt = at;
    this.timer = this.clock.setTimer(Math.max(0, at - this.clock.now()), () => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      if (this.protocol && this.state === 'running') this.apply(this.protocol.tick(this.clock.now()));
    });
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
