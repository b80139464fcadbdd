import { createHash } from 'node:crypto';
import type { Random } from '../../application/ports/random.port';

/**
 * mulberry32: a tiny, fast 32-bit generator. Not for secrets; for
 * reproducible jitter, loss and latency in the simulation.
 */
export class SeededRandom implements Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A generator for one purpose (`label`), independent of the others drawn from the same seed. */
  static derive(seed: number, label: string): SeededRandom {
    const digest = createHash('sha256').update(`${seed}:${label}`).digest();
    return new SeededRandom(digest.readUInt32BE(0));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
