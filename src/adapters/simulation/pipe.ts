import type { TimerHandle } from '../../application/ports/clock.port';
import type { FakeClock } from './fake-clock';
import type { NetworkConditions } from './network-conditions';

/** What crosses the simulated wire on one connection: the handshake's answer, data, and the two ways to end. */
export type Segment =
  | { readonly kind: 'synack' }
  | { readonly kind: 'data'; readonly bytes: Buffer }
  | { readonly kind: 'fin' }
  | { readonly kind: 'rst' };

/** What a pipe needs of the network it belongs to. */
export interface Wire {
  readonly clock: FakeClock;
  readonly conditions: NetworkConditions;
  /** A pipe met a cut cable: resume it when the network heals. */
  stall(pipe: Pipe): void;
}

/** Where a pipe delivers. */
export interface SegmentSink {
  readonly host: string;
  receive(segment: Segment): void;
}

interface InFlight {
  readonly at: number;
  readonly segment: Segment;
}

/**
 * One direction of one connection: segments in flight, delivered in order
 * (a later segment never overtakes an earlier one, as over TCP), each after the
 * wire's delay. At a cut cable the pipe stalls, holding what it carries, and
 * resumes when the network heals. One timer per busy pipe, not per segment.
 */
export class Pipe {
  private queue: InFlight[] = [];
  private head = 0;
  private lastAt = Number.NEGATIVE_INFINITY;
  private timer: TimerHandle | undefined;
  private stalled = false;
  private pumping = false;

  constructor(
    private readonly wire: Wire,
    private readonly fromHost: string,
    private readonly to: SegmentSink,
  ) {}

  push(segment: Segment): void {
    const at = Math.max(this.lastAt, this.wire.clock.now() + this.wire.conditions.transitDelay());
    this.lastAt = at;
    this.queue.push({ at, segment });
    if (this.timer === undefined && !this.stalled && !this.pumping) this.schedule();
  }

  /** The cable is back: what waited goes on, each segment taking the wire's time again. */
  resume(): void {
    if (!this.stalled) return;
    this.stalled = false;
    const waiting = this.queue.slice(this.head);
    this.queue = [];
    this.head = 0;
    this.lastAt = Number.NEGATIVE_INFINITY;
    for (const { segment } of waiting) this.push(segment);
  }

  private schedule(): void {
    const next = this.queue[this.head];
    if (next === undefined) {
      this.queue = [];
      this.head = 0;
      return;
    }
    this.timer = this.wire.clock.setTimer(next.at - this.wire.clock.now(), () => this.pump());
  }

  private pump(): void {
    this.timer = undefined;
    this.pumping = true;
    const now = this.wire.clock.now();
    try {
      for (let next = this.queue[this.head]; next !== undefined && next.at <= now; next = this.queue[this.head]) {
        if (this.wire.conditions.blocked(this.fromHost, this.to.host)) {
          this.stalled = true;
          this.wire.stall(this);
          return;
        }
        this.head += 1;
        this.to.receive(next.segment);
      }
    } finally {
      this.pumping = false;
    }
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.schedule();
  }
}
