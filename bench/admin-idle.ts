/**
 * admin-idle: what the admin API costs an idle node when nobody queries it.
 * One mesh of N CLI processes with the default timings, launched one after
 * another (each --connect to the previous), half of them with
 * `--admin 127.0.0.1:0` (prom-client, its default process metrics and the
 * HTTP server loaded, nothing ever requested). Both halves do the same
 * protocol work in the same mesh and are measured over the same idle window
 * (after SETTLE_MS), so the comparison is interleaved in time and in launch
 * order. The round trip is measured by every node alike: it rides on frames
 * sent anyway (an echo on the next heartbeat or ping), so it has no "off" to
 * compare with; the CPU per frame of the cluster benchmark includes it.
 *
 * The processes are taken in pairs of neighbours in launch order, one of
 * each pair with --admin, the first of the pair with it in every other pair
 * (A B, B A, A B, ...): a node's idle CPU depends on its place in the chain
 * (the later ones dialled more of the mesh), and the pairs take that out.
 * "Nothing measurable" is judged against the noise of the measurement: the
 * mean of the pairs' differences is within two standard errors of that mean.
 * CPU is each process's threads' run time from /proc (ns), not clock ticks.
 */
import { CliGroup, type CliProcess } from '../harness/cli-process';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { cpuMs, rssMiB } from './lib/proc-stats';
import type { Progress } from './lib/progress';
import { round, sleep, summarize, type Summary } from './lib/stats';

const QUICK = Boolean(process.env['BENCH_QUICK']);
const NODES = QUICK ? 6 : 20;
const IDLE_MS = QUICK ? 5000 : 30_000;
const SETTLE_MS = QUICK ? 1000 : 5000;
const LISTEN_TIMEOUT_MS = 20_000;
const MESH_TIMEOUT_MS = 60_000;
const QUIET = { keepPings: false };

interface Half {
  readonly processes: number;
  readonly cpuPercentPerProcess: Summary;
  readonly rssMiB: Summary;
}

interface AdminIdleResult {
  readonly nodes: number;
  readonly seconds: number;
  readonly withAdmin: Half;
  readonly withoutAdmin: Half;
  /** Mean CPU per process with --admin minus without, in points of a core's %. */
  readonly differencePoints: number;
  /** Two standard errors of the mean of the pairs' differences: what the measurement can tell apart. */
  readonly noisePoints: number;
  readonly stillFullMesh: boolean;
}

function variance(samples: readonly number[]): number {
  const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
  return samples.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(1, samples.length - 1);
}

function mean(samples: readonly number[]): number {
  return samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

async function measure(progress: Progress): Promise<AdminIdleResult> {
  const group = new CliGroup();
  try {
    const nodes: CliProcess[] = [];
    const admin = (index: number): boolean => (index % 2 === 0) !== (Math.floor(index / 2) % 2 === 1);
    for (let index = 0; index < NODES; index += 1) {
      const previous = nodes[index - 1];
      const join = previous === undefined ? [] : ['--connect', previous.address as string];
      const node = group.start(`n${index}`, ['--port', '0', ...(admin(index) ? ['--admin', '127.0.0.1:0'] : []), ...join], QUIET);
      nodes.push(node);
      await node.listening(LISTEN_TIMEOUT_MS);
      const listening = node.events.find((event) => event.event === 'listening');
      if (admin(index) !== (typeof listening?.['admin'] === 'string')) throw new Error(`${node.name}: admin API ${admin(index) ? 'missing' : 'unexpected'} in listening`);
      progress.status(`${index + 1} of ${NODES} launched`);
    }
    await group.until(`a full mesh of ${NODES}`, () => group.fullMesh(nodes), MESH_TIMEOUT_MS);
    progress.tick(`${NODES} processes meshed; idle for ${IDLE_MS / 1000} s`);
    await sleep(SETTLE_MS);
    const before = nodes.map((node) => cpuMs(node.pid));
    const startedAt = performance.now();
    await sleep(IDLE_MS);
    const seconds = (performance.now() - startedAt) / 1000;
    const percent = nodes.map((node, index) => ((cpuMs(node.pid) - (before[index] ?? 0)) / (seconds * 1000)) * 100);
    const rss = nodes.map((node) => rssMiB(node.pid));
    const pick = <T>(values: readonly T[], withAdmin: boolean): T[] => values.filter((_, index) => admin(index) === withAdmin);
    const half = (withAdmin: boolean): Half => ({ processes: pick(percent, withAdmin).length, cpuPercentPerProcess: summarize(pick(percent, withAdmin)), rssMiB: summarize(pick(rss, withAdmin)) });
    const [on, off] = [pick(percent, true), pick(percent, false)];
    const pairs = Array.from({ length: Math.floor(NODES / 2) }, (_, pair) => {
      const [first, second] = [2 * pair, 2 * pair + 1];
      const [withIndex, withoutIndex] = admin(first) ? [first, second] : [second, first];
      return (percent[withIndex] ?? 0) - (percent[withoutIndex] ?? 0);
    });
    const standardError = Math.sqrt(variance(pairs) / pairs.length);
    progress.tick(`with --admin ${round(mean(on), 3)} %, without ${round(mean(off), 3)} % per process`);
    return {
      nodes: NODES,
      seconds: round(seconds, 1),
      withAdmin: half(true),
      withoutAdmin: half(false),
      differencePoints: round(mean(pairs), 3),
      noisePoints: round(2 * standardError, 3),
      stillFullMesh: group.fullMesh(nodes),
    };
  } finally {
    await group.killAll();
  }
}

export const adminIdle: Benchmark = {
  name: 'admin-idle',
  seconds: 50,
  run: (progress) => {
    progress.begin('admin-idle', 2);
    const params = { nodes: NODES, idleMs: IDLE_MS, settleMs: SETTLE_MS, withAdmin: 'one of each pair of neighbours in launch order (A B, B A, ...): --admin 127.0.0.1:0, never queried', flags: '--output json --host 127.0.0.1 --port 0 (default timings), LOG_LEVEL=warn' };
    return record('admin-idle', params, async () => {
      const result = await measure(progress);
      return { summary: { ...result } };
    });
  },
  rows: (result) => {
    const failed = failedRow('admin-idle', result);
    if (failed) return failed;
    const r = result.summary as unknown as AdminIdleResult;
    const n = r.nodes;
    const mesh = r.stillFullMesh ? '' : ' (the mesh broke during the window)';
    return [
      {
        benchmark: 'admin-idle',
        measure: `${n} processes in one mesh, half with --admin (one of each pair of neighbours), nobody querying: idle CPU per process over ${r.seconds} s, mean with (without) --admin, difference paired; round trips measured by all (they ride on frames sent anyway)`,
        result: `${show(r.withAdmin.cpuPercentPerProcess.mean, '%', 3)} (${show(r.withoutAdmin.cpuPercentPerProcess.mean, '%', 3)}) of a core: ${r.differencePoints >= 0 ? '+' : ''}${show(r.differencePoints, '', 3)} ± ${show(r.noisePoints, 'points', 3)}${mesh}`,
        goal: 'difference within the noise (2 standard errors of the paired mean)',
        met: r.stillFullMesh && Math.abs(r.differencePoints) <= r.noisePoints,
      },
      {
        benchmark: 'admin-idle',
        measure: `${n} processes: idle RSS per process, median with (without) --admin`,
        result: `${show(r.withAdmin.rssMiB.median, 'MiB')} (${show(r.withoutAdmin.rssMiB.median, 'MiB')})`,
        goal: '',
      },
    ];
  },
};
