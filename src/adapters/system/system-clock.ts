import { injectable } from 'inversify';
import type { Clock, TimerHandle } from '../../application/ports/clock.port';

interface SystemTimer {
  timeout: NodeJS.Timeout | undefined;
  immediate: NodeJS.Immediate | undefined;
}

/**
 * Wall-clock time and Node timers. A timer's callback runs after the event
 * loop has polled for I/O once more: after a stall (a long GC pause, a
 * blocked loop, SIGSTOP), libuv runs overdue timers before reading sockets,
 * and a failure detector would then call peers dead whose heartbeats are
 * already waiting to be read.
 */
@injectable()
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const timer: SystemTimer = { timeout: undefined, immediate: undefined };
    timer.timeout = setTimeout(() => {
      timer.timeout = undefined;
      timer.immediate = setImmediate(() => {
        timer.immediate = undefined;
        callback();
      });
    }, delayMs);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as SystemTimer;
    if (timer.timeout !== undefined) clearTimeout(timer.timeout);
    if (timer.immediate !== undefined) clearImmediate(timer.immediate);
    timer.timeout = undefined;
    timer.immediate = undefined;
  }
}
