/**
 * Jittered exponential backoff ("equal jitter"): the n-th retry waits between
 * half and all of min(cap, initial * 2^n). Jitter keeps a network that lost a
 * node from redialling it in lockstep. `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, initialMs: number, capMs: number, random: number): number {
  const ceiling = Math.min(capMs, initialMs * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + (ceiling / 2) * random;
}
