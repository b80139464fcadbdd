export type TimerHandle = { readonly __timer: true } | object;

export const Clock = Symbol('Clock');

/** Time in milliseconds since the epoch, and one-shot timers. Timers never fire re-entrantly. */
export interface Clock {
  now(): number;
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Clearing a fired or cleared timer does nothing. */
  clearTimer(handle: TimerHandle): void;
}
