import { adminIdle } from './admin-idle';
import { cluster } from './cluster';
import { detection } from './detection';
import { flood } from './flood';
import { handshake } from './handshake';
import { healing } from './healing';
import { join } from './join';
import { longSplit } from './long-split';
import type { Benchmark } from './lib/benchmark';
import { mesh } from './mesh';
import { restart } from './restart';
import { sim } from './sim';
import { startup } from './startup';

/** Every benchmark, in the order `npm run bench` runs them and the README lists them. */
export const BENCHMARKS: readonly Benchmark[] = [startup, handshake, cluster, adminIdle, restart, mesh, join, detection, healing, longSplit, flood, sim];
