import type { Clock, TimerHandle } from '../../application/ports/clock.port';
import { type QueuedTimer, TimerQueue } from './timer-queue';

/** 2025-01-01T00:00:00Z: a fixed epoch, so that event timestamps are reproducible. */
export const FAKE_EPOCH_MS = Date.UTC(2025, 0, 1);

/** How a `runUntil` ended: the predicate held (at `now`), or fake time ran out first. */
export interface RunOutcome {
  readonly met: boolean;
  /** Fake milliseconds that passed during the run. */
  readonly elapsedMs: number;
}

/**
 * Simulated time: a queue of timers that fire only when the owner advances the
 * clock, in time order, ties in insertion order. Never re-entrant: advancing
 * from inside a timer callback is a programming error and throws.
 */
export class FakeClock implements Clock {
  private readonly queue = new TimerQueue();
  private time: number;
  private seq = 0;
  private running = false;
  private fired = 0;

  constructor(startMs: number = FAKE_EPOCH_MS) {
    this.time = startMs;
  }

  now(): number {
    return this.time;
  }

  /** Timers fired since the clock was made (a measure of simulated work). */
  get firedTimers(): number {
    return this.fired;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const timer: QueuedTimer = { at: this.time + delay, seq: this.seq++, callback, cancelled: false };
    this.queue.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    (handle as QueuedTimer).cancelled = true;
  }

  /** Fires every timer due within `ms`, then sets the time to exactly `ms` later. */
  advance(ms: number): void {
    const deadline = this.time + Math.max(0, ms);
    this.run(() => false, deadline);
    this.time = deadline;
  }

  /**
   * Fires timers until `predicate` holds, checking it before the clock moves
   * to a later instant (so never in the middle of one instant's timers), or
   * until `maxFakeMs` have passed; the clock then stays where the predicate held.
   */
  runUntil(predicate: () => boolean, maxFakeMs: number): RunOutcome {
    const start = this.time;
    const deadline = start + Math.max(0, maxFakeMs);
    const met = this.run(predicate, deadline);
    if (!met) this.time = deadline;
    return { met, elapsedMs: this.time - start };
  }

  private run(predicate: () => boolean, deadline: number): boolean {
    if (this.running) throw new Error('FakeClock advanced from inside a timer callback');
    this.running = true;
    try {
      for (;;) {
        const next = this.queue.peek();
        if (next === undefined || next.at > deadline) return predicate();
        if (next.at > this.time) {
          if (predicate()) return true;
          this.time = next.at;
        }
        this.queue.pop();
        this.fired += 1;
        next.callback();
      }
    } finally {
      this.running = false;
    }
  }
}
