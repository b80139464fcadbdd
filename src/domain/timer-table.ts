/**
 * Owns: every deadline of the protocol, by name, in one place (after
 * quinn-proto's TimerTable). `nextWakeAt` is the earliest of them.
 *
 * - `heartbeat`, `ping`, `sync`: the rounds, each re-armed when it runs, at
 *   the next multiple of its interval since the epoch (`nextRound`).
 * - `sweep`: the earliest per-peer or per-connection deadline (hello
 *   timeout, establishment, death, redial); the sweep runs when it is due or
 *   a heartbeat round is (forgetting and pin refresh keep no deadline: a
 *   round's precision is theirs), clears it and lowers it again by whatever
 *   it finds pending.
 */
export type TimerName = 'heartbeat' | 'ping' | 'sync' | 'sweep';

/**
 * The next round strictly after `now`, at a multiple of `everyMs` since the
 * epoch. Every node of a mesh with the same interval then sends its round at
 * about the same instant (to within the skew of their clocks), so a receiver
 * reads many peers' frames in one wake-up instead of one wake-up per peer;
 * and rounds whose intervals divide each other fall in the same tick.
 */
export function nextRound(now: number, everyMs: number): number {
  const at = (Math.floor(now / everyMs) + 1) * everyMs;
  return at > now ? at : at + everyMs;
}

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
