/**
 * Benchmark, not a test: grows a simulated network to 100, 500 and 1000 nodes
 * and reports, per size, the wall time, the fake time until the last node's
 * join completed the full mesh, the traffic, and the peak RSS.
 *
 * Growth pattern: a rolling start gated on readiness (Kubernetes'
 * "OrderedReady"): node k starts once the k-1 nodes before it form a full
 * mesh, and joins through one earlier node chosen at random. The wire is a
 * datacenter LAN: 0.5 ms one way, up to 0.25 ms of jitter, no loss. Timings
 * are the CLI defaults (heartbeat 1 s, period 5 s, deadAfter 5 s).
 *
 * Each size runs in a child process of its own, so that peak RSS is per size.
 *   node -r ts-node/register bench/sim-scale.ts [sizes…]    (all sizes, writes the results)
 *   node -r ts-node/register bench/sim-scale.ts --child N   (one size, prints it; for --cpu-prof)
 * Writes bench/results/sim-scale.json.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '../src/adapters/simulation/seeded-random';
import { createSimulatedNetwork } from '../src/main/simulation.module';
import { RESULTS_DIR } from './lib/results';
import type { SizeResult } from './lib/sim-size-result';


const SEED = 20250101;
const LATENCY_MS = 0.5;
const JITTER_MS = 0.25;
/** Longest a single join may take before the run is declared stuck. */
const JOIN_LIMIT_MS = 60_000;

async function grow(size: number): Promise<SizeResult> {
  const network = createSimulatedNetwork({ seed: SEED, retainEvents: false, logLevel: 'warn' });
  network.setLatency(LATENCY_MS, JITTER_MS);
  const pick = SeededRandom.derive(SEED, 'bench seeds');
  const started = performance.now();
  const fakeStart = network.now();
  let reachedFullMesh = true;
  await network.addNode('n0');
  for (let index = 1; index < size && reachedFullMesh; index += 1) {
    await network.addNode(`n${index}`, { joinVia: [`n${Math.floor(pick.next() * index)}`] });
    reachedFullMesh = network.runUntil(() => network.isFullMesh(), JOIN_LIMIT_MS).met;
  }
  return {
    nodes: size,
    reachedFullMesh,
    wallMs: Math.round(performance.now() - started),
    fakeMsToFullMesh: Math.round(network.now() - fakeStart),
    framesSent: network.stats.frames,
    bytesSent: network.stats.bytes,
    dials: network.stats.dials,
    timersFired: network.clock.firedTimers,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

function inChild(size: number): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--child', String(size)], { execArgv: process.execArgv });
    child.once('message', (result) => resolve(result as SizeResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the ${size}-node run exited with ${code}`));
    });
  });
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === '--child') {
    const result = await grow(Number(argv[1]));
    if (process.send) process.send(result);
    else console.log(JSON.stringify(result));
    return;
  }
  const sizes = argv.length > 0 ? argv.map(Number) : [100, 500, 1000];
  const results: SizeResult[] = [];
  for (const size of sizes) {
    const result = await inChild(size);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  const file = path.join(RESULTS_DIR, 'sim-scale.json');
  mkdirSync(path.dirname(file), { recursive: true });
  const report = { pattern: 'rolling start gated on full mesh, join via a random earlier node', latencyMs: LATENCY_MS, jitterMs: JITTER_MS, seed: SEED, node: process.version, results };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
