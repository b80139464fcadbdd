/**
 * Owns: every deadline of the protocol, by name, in one place (after
 * quinn-proto's TimerTable). `nextWakeAt` is the earliest of them.
 *
 * - `heartbeat`, `ping`, `sync`: the rounds, each re-armed when it runs.
 * - `sweep`: the earliest per-peer or per-connection deadline (hello
 *   timeout, death, redial, forgetting); cleared at the start of each tick
 *   and lowered again by whatever the tick finds pending.
 */
export type TimerName = 'heartbeat' | 'ping' | 'sync' | 'sweep';

export class TimerTable {
  private heartbeat = Number.POSITIVE_INFINITY;
  private ping = Number.POSITIVE_INFINITY;
  private sync = Number.POSITIVE_INFINITY;
  private sweep = Number.POSITIVE_INFINITY;

  get(name: TimerName): number {
    return this[name];
  }

  set(name: TimerName, at: number): void {
    this[name] = at;
  }

  /** Moves a timer earlier to `at`, never later. */
  setEarliest(name: TimerName, at: number): void {
    if (at < this[name]) this[name] = at;
  }

  isDue(name: TimerName, now: number): boolean {
    return now >= this[name];
  }

  stop(name: TimerName): void {
    this[name] = Number.POSITIVE_INFINITY;
  }

  stopAll(): void {
    this.heartbeat = this.ping = this.sync = this.sweep = Number.POSITIVE_INFINITY;
  }

  /** The earliest armed timer; Infinity when none is. */
  next(): number {
    return Math.min(this.heartbeat, this.ping, this.sync, this.sweep);
  }
}
