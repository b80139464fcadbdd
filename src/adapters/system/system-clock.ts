import { injectable } from 'inversify';
import type { Clock, TimerHandle } from '../../application/ports/clock.port';

/** Wall-clock time and Node timers. */
@injectable()
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return setTimeout(callback, delayMs);
  }

  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
}
