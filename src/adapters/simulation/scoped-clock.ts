import type { Clock, TimerHandle } from '../../application/ports/clock.port';
import { inject, injectable } from 'inversify';
import { FakeClock } from './fake-clock';

const NEVER: TimerHandle = Object.freeze({ __timer: true as const });

/**
 * One simulated process's view of the shared fake clock. Killing the process
 * halts it: none of its timers fire any more, as none would in a dead process.
 */
@injectable()
export class ScopedClock implements Clock {
  private halted = false;

  constructor(@inject(FakeClock) private readonly clock: FakeClock) {}

  now(): number {
    return this.clock.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    if (this.halted) return NEVER;
    return this.clock.setTimer(delayMs, () => {
      if (!this.halted) callback();
    });
  }

  clearTimer(handle: TimerHandle): void {
    if (handle !== NEVER) this.clock.clearTimer(handle);
  }

  halt(): void {
    this.halted = true;
  }
}
