import { injectable } from 'inversify';
import type { Random } from '../../application/ports/random.port';

/** Math.random: jitter needs spread, not secrecy. */
@injectable()
export class SystemRandom implements Random {
  next(): number {
    return Math.random();
  }
}
