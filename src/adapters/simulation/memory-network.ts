import { type Address, formatAddress } from '../../domain/address';
import type { Identity } from '../../domain/identity';
import type { FakeClock } from './fake-clock';
import { LinkEnd, type LinkOwner } from './link-end';
import type { NetworkConditions } from './network-conditions';
import type { Pipe, Wire } from './pipe';

/** Something accepting connections on a bound port. */
export interface LinkListener extends LinkOwner {
  readonly identity: Identity;
  /** A dial arrived and was answered: `end` is open. */
  accept(end: LinkEnd): void;
}

/** Something dialling: who it is and where it dials from. */
export interface LinkDialer extends LinkOwner {
  readonly identity: Identity;
  readonly host: string;
}

/** Counters of the traffic a run produced. */
export interface NetworkStats {
  dials: number;
  frames: number;
  bytes: number;
}

/** How long a dial waits for an answer before giving up, as a TCP connect timeout would. */
export const DEFAULT_DIAL_TIMEOUT_MS = 5_000;

/** First port handed out for `port: 0`. */
const EPHEMERAL_PORT_BASE = 49_152;

/**
 * The simulated wire between machines: which host:port is listening, dials
 * (answered, refused, or lost at a cut cable or an unknown host and then timed
 * out), and the pipes that stalled at a partition. Owns no process state:
 * transports and raw participants attach to it.
 */
export class MemoryNetwork implements Wire {
  readonly stats: NetworkStats = { dials: 0, frames: 0, bytes: 0 };
  private readonly machines = new Set<string>();
  private readonly listeners = new Map<Address, LinkListener>();
  /** Addresses where a process accepts connections but never completes a handshake. */
  private readonly silent = new Set<Address>();
  private readonly dialsByAddress = new Map<Address, number>();
  private readonly stalled = new Set<Pipe>();
  private nextConnection = 1;
  private nextPort = EPHEMERAL_PORT_BASE;

  constructor(
    readonly clock: FakeClock,
    readonly conditions: NetworkConditions,
    private readonly dialTimeoutMs: number = DEFAULT_DIAL_TIMEOUT_MS,
  ) {}

  /** A machine exists at `host`: dials to it are answered or refused, not lost. */
  addMachine(host: string): void {
    this.machines.add(host);
  }

  /**
   * A process on `host:port` that accepts every connection and then says
   * nothing: a dial to it fails with `timeout` once the dial timeout passes,
   * as a TLS dial to a host that accepts TCP but never answers the handshake.
   */
  silence(host: string, port: number): void {
    this.addMachine(host);
    this.silent.add(formatAddress(host, port));
  }

  /** Binds `host:port`; false when it is taken. */
  bind(host: string, port: number, listener: LinkListener): boolean {
    const address = formatAddress(host, port);
    if (this.listeners.has(address)) return false;
    this.listeners.set(address, listener);
    return true;
  }

  unbind(host: string, port: number, listener: LinkListener): void {
    const address = formatAddress(host, port);
    if (this.listeners.get(address) === listener) this.listeners.delete(address);
  }

  freePort(host: string): number {
    while (this.listeners.has(formatAddress(host, this.nextPort))) this.nextPort += 1;
    return this.nextPort++;
  }

  /** Dials attempted to `address` so far. */
  dialsTo(address: Address): number {
    return this.dialsByAddress.get(address) ?? 0;
  }

  newConnectionId(): string {
    return `sim-${this.nextConnection++}`;
  }

  /** Starts a dial; the dialler learns the outcome through `opened` or `dialFailed` on the returned end. */
  dial(dialer: LinkDialer, address: Address, host: string, port: number): LinkEnd {
    this.stats.dials += 1;
    this.dialsByAddress.set(address, this.dialsTo(address) + 1);
    const end = new LinkEnd(this, this.newConnectionId(), dialer, dialer.host, dialer.identity, 'outbound', address);
    end.dialTimer = this.clock.setTimer(this.dialTimeoutMs, () => {
      if (end.state !== 'pending') return;
      end.abandon();
      dialer.dialFailed(
        end,
        end.answered
          ? { reason: 'timeout', detail: `handshake not finished within ${this.dialTimeoutMs} ms` }
          : { reason: 'unreachable', detail: `no answer from ${address} within ${this.dialTimeoutMs} ms` },
      );
    });
    this.clock.setTimer(this.conditions.transitDelay(), () => this.arrive(end, host, port));
    return end;
  }

  stall(pipe: Pipe): void {
    this.stalled.add(pipe);
  }

  partition(groups: readonly (readonly string[])[]): void {
    this.conditions.partition(groups);
  }

  /** The cables are back: every stalled pipe goes on, in the order it stalled. */
  heal(): void {
    this.conditions.heal();
    const stalled = [...this.stalled];
    this.stalled.clear();
    for (const pipe of stalled) pipe.resume();
  }

  /** Counts one frame put on the wire. */
  countFrame(bytes: number): void {
    this.stats.frames += 1;
    this.stats.bytes += bytes;
  }

  /** The dial's first segment reaches the target host (or is lost on the way). */
  private arrive(end: LinkEnd, host: string, port: number): void {
    if (end.state !== 'pending' || this.conditions.blocked(end.host, host) || !this.machines.has(host)) return;
    const address = formatAddress(host, port);
    if (this.silent.has(address)) {
      end.answered = true;
      return;
    }
    const listener = this.listeners.get(address);
    if (listener === undefined) {
      this.clock.setTimer(this.conditions.transitDelay(), () => {
        if (end.state !== 'pending' || this.conditions.blocked(host, end.host)) return;
        end.abandon();
        end.owner.dialFailed(end, { reason: 'unreachable', detail: `connection refused by ${address}` });
      });
      return;
    }
    const accepted = new LinkEnd(this, this.newConnectionId(), listener, host, listener.identity, 'inbound');
    LinkEnd.pair(end, accepted);
    accepted.acceptHandshake();
    listener.accept(accepted);
  }
}
