import { createHash } from 'node:crypto';
import { FakeClock } from '../../src/adapters/simulation/fake-clock';
import { SeededRandom } from '../../src/adapters/simulation/seeded-random';
import { type Address, formatAddress } from '../../src/domain/address';
import type { Effect } from '../../src/domain/effects';
import type { NodeEvent } from '../../src/domain/events';
import type { Identity } from '../../src/domain/identity';
import { MembershipProtocol } from '../../src/domain/membership-protocol';
import type { Message } from '../../src/domain/messages';
import { PROTOCOL_DEFAULTS, type ProtocolOptions } from '../../src/domain/protocol-options';

const DIAL_TIMEOUT_MS = 5_000;

export function identityOf(name: string): Identity {
  return createHash('sha256').update(name).digest('hex') as Identity;
}

/** The simulation's deterministic generator as a function, so every run of a test is the same run. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/** The protocol with every default (PROTOCOL_DEFAULTS), as `p2p-gossip` with no flags. */
export function testOptions(self: Identity, port: number, random: () => number, overrides: Partial<ProtocolOptions> = {}): ProtocolOptions {
  return { ...PROTOCOL_DEFAULTS, self, advertisePort: port, advertiseHost: '127.0.0.1', random, ...overrides };
}

/** Bound on timers fired in one run, so a protocol that never settles fails instead of hanging. */
const MAX_STEPS = 5_000_000;

interface HarnessNode {
  readonly name: string;
  readonly id: Identity;
  readonly address: Address;
  protocol: MembershipProtocol;
  up: boolean;
  readonly events: TimedEvent[];
  readonly dials: { at: number; address: Address }[];
  readonly logs: Effect[];
}

export type TimedEvent = NodeEvent & { at: number };

interface Link {
  readonly owner: HarnessNode;
  readonly other: string;
  /** When the last frame sent on this end arrives: frames stay in order. */
  lastArrival: number;
}

/**
 * Protocol instances wired to each other on the simulation's FakeClock (its
 * TimerQueue orders every delivery) and SeededRandom, with a fixed one-way
 * latency. No transport or application: this tests the rules alone.
 */
export class ProtocolHarness {
  /** Peer lists that named their own receiver: the protocol must never send one. */
  receiverListed = 0;
  /** Sees every frame a node sends (the message object itself, before the wire copies it), with its receiver. */
  onSend: ((from: string, to: string, message: Message, at: number) => void) | undefined;
  readonly nodes = new Map<string, HarnessNode>();
  private readonly byAddress = new Map<Address, HarnessNode>();
  private readonly links = new Map<string, Link>();
  /** Ends that can no longer send: closed, with the other end not told yet. */
  private readonly closing = new Set<string>();
  private readonly group = new Map<string, number>();
  private readonly clock = new FakeClock(0);
  private steps = 0;
  private nextConnection = 0;
  private readonly random: () => number;

  /** One-way latency is latencyMs plus up to jitterMs, so that crossing dials arrive in any order. */
  constructor(
    seed = 1,
    private readonly latencyMs = 1,
    private readonly overrides: Partial<ProtocolOptions> = {},
    private readonly jitterMs = 0,
  ) {
    this.random = seededRandom(seed);
  }

  /** Creates and starts a node; an existing name restarts at the same address (with `id`, a new key). */
  add(name: string, seeds: readonly string[] = [], id = identityOf(name)): HarnessNode {
    const node = this.create(name, id);
    this.start(name, seeds);
    return node;
  }

  create(name: string, id = identityOf(name)): HarnessNode {
    const address = this.nodes.get(name)?.address ?? formatAddress('127.0.0.1', 10_000 + this.nodes.size);
    const node: HarnessNode = {
      name, id, address, up: true, events: [], dials: [], logs: [],
      protocol: new MembershipProtocol(testOptions(id, Number(address.split(':')[1]), this.random, this.overrides)),
    };
    this.nodes.set(name, node);
    this.byAddress.set(address, node);
    return node;
  }

  start(name: string, seeds: readonly string[] = []): void {
    const node = this.node(name);
    this.apply(node, node.protocol.start(this.now, seeds.map((seed) => this.node(seed).address)));
  }

  node(name: string): HarnessNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  /** Abrupt death: the other ends see their connections close, as with a TCP reset. */
  kill(name: string): void {
    const node = this.node(name);
    node.up = false;
    for (const [id, link] of [...this.links]) {
      if (link.owner === node) this.drop(id, false);
    }
  }

  /** Graceful stop. */
  stop(name: string): void {
    const node = this.node(name);
    this.apply(node, node.protocol.stop(this.now));
    node.up = false;
  }

  /** Delivers a message as if `from`'s end of its connection to `to` had sent it. */
  inject(from: string, to: string, message: Message): void {
    for (const link of this.links.values()) {
      if (link.owner === this.node(from) && this.links.get(link.other)?.owner === this.node(to)) {
        this.deliver(link.other, message);
        return;
      }
    }
    throw new Error(`no connection ${from} → ${to}`);
  }

  connectionsBetween(a: string, b: string): number {
    let count = 0;
    for (const link of this.links.values()) {
      if (link.owner === this.node(a) && this.links.get(link.other)?.owner === this.node(b) && !this.closing.has(link.other)) count += 1;
    }
    return count;
  }

  get now(): number {
    return this.clock.now();
  }

  /** Runs everything due within `untilMs` of fake time, in time order, then stands at its end. */
  run(untilMs: number): void {
    this.steps = 0;
    this.clock.advance(untilMs);
  }

  /** Every live node has every other live node connected. */
  fullMesh(): boolean {
    const live = [...this.nodes.values()].filter((node) => node.up);
    return live.every((node) => {
      const connected = new Set(node.protocol.members().filter((m) => m.state === 'connected').map((m) => m.id));
      return live.every((other) => other === node || connected.has(other.id));
    });
  }

  eventsOf(name: string, event: NodeEvent['event']): TimedEvent[] {
    return this.node(name).events.filter((e) => e.event === event);
  }

  private at(delay: number, run: () => void): void {
    this.clock.setTimer(delay, () => {
      if (++this.steps > MAX_STEPS) throw new Error('harness did not settle');
      run();
    });
  }

  private apply(node: HarnessNode, effects: Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'dial':
          this.dial(node, effect.address);
          break;
        case 'send': {
          const link = this.links.get(effect.connection);
          const receiver = link && this.links.get(link.other)?.owner;
          if (link && receiver) this.onSend?.(node.name, receiver.name, effect.message, this.now);
          if (link && receiver && !this.cut(node, receiver) && !this.closing.has(effect.connection)) {
            link.lastArrival = Math.max(link.lastArrival, this.now + this.delay());
            this.at(link.lastArrival - this.now, () => this.deliver(link.other, effect.message));
          }
          break;
        }
        case 'close':
          this.drop(effect.connection, true);
          break;
        case 'emit':
          node.events.push({ ...effect.event, at: this.now });
          break;
        default:
          node.logs.push(effect);
      }
    }
    const wake = node.protocol.nextWakeAt;
    if (Number.isFinite(wake)) {
      const protocol = node.protocol;
      this.at(Math.max(0, wake - this.now), () => {
        if (node.up && node.protocol === protocol && protocol.nextWakeAt <= this.now) this.apply(node, protocol.tick(this.now));
      });
    }
  }

  /** Frames between the groups are lost and dials across time out, as with a cut cable. */
  partition(...groups: string[][]): void {
    this.group.clear();
    groups.forEach((names, index) => names.forEach((name) => this.group.set(name, index)));
  }

  heal(): void {
    this.group.clear();
  }

  private cut(a: HarnessNode, b: HarnessNode): boolean {
    return (this.group.get(a.name) ?? 0) !== (this.group.get(b.name) ?? 0);
  }

  private dial(from: HarnessNode, address: Address): void {
    from.dials.push({ at: this.now, address });
    const target = this.byAddress.get(address);
    if (target && this.cut(from, target)) {
      this.at(DIAL_TIMEOUT_MS, () => {
        if (from.up) this.apply(from, from.protocol.dialFailed(address, { reason: 'unreachable', detail: 'timeout' }, this.now));
      });
      return;
    }
    this.at(this.delay(), () => {
      if (!from.up) return;
      if (!target?.up) {
        this.apply(from, from.protocol.dialFailed(address, { reason: 'unreachable', detail: 'ECONNREFUSED' }, this.now));
        return;
      }
      const outbound = `c${this.nextConnection++}`;
      const inbound = `c${this.nextConnection++}`;
      // The two ends learn of the handshake at different moments, as with TLS;
      // no frame reaches the accepting end before it has.
      const acceptedAt = this.now + this.delay() - this.latencyMs;
      this.links.set(outbound, { owner: from, other: inbound, lastArrival: acceptedAt });
      this.links.set(inbound, { owner: target, other: outbound, lastArrival: 0 });
      this.at(acceptedAt - this.now, () => {
        if (target.up && this.links.has(inbound)) this.apply(target, target.protocol.connected({ id: inbound, peer: from.id, direction: 'inbound', remoteHost: '127.0.0.1' }, this.now));
      });
      this.apply(from, from.protocol.connected({ id: outbound, peer: target.id, direction: 'outbound', remoteHost: '127.0.0.1', dialed: address }, this.now));
    });
  }

  private delay(): number {
    return this.latencyMs + Math.floor(this.random() * (this.jitterMs + 1));
  }

  private deliver(connection: string, message: Message): void {
    const link = this.links.get(connection);
    if (!link?.owner.up) return;
    if (message.t === 'peers' && message.peers.some((entry) => entry.id === link.owner.id)) this.receiverListed += 1;
    this.apply(link.owner, link.owner.protocol.received(connection, JSON.parse(JSON.stringify(message)) as Message, this.now));
  }

  /**
   * Closes a connection. Frames already sent still arrive first (same latency,
   * queued earlier); then the other end learns of the close. The end that
   * closed learns of it too, unless it died.
   */
  private drop(connection: string, reportLocal: boolean): void {
    const link = this.links.get(connection);
    if (!link || this.closing.has(connection)) return;
    this.closing.add(connection);
    this.closing.add(link.other);
    if (reportLocal) this.at(0, () => this.report(connection, 'local'));
    else this.links.delete(connection);
    // After every frame already on its way.
    this.at(Math.max(link.lastArrival - this.now, 0) + this.latencyMs, () => this.report(link.other, 'remote'));
  }

  private report(connection: string, kind: 'local' | 'remote'): void {
    const link = this.links.get(connection);
    if (!link) return;
    this.links.delete(connection);
    this.closing.delete(connection);
    const node = link.owner;
    if (node.up) this.apply(node, node.protocol.closed(connection, { kind, detail: kind === 'local' ? 'closed' : 'connection reset' }, this.now));
  }
}
