/**
 * mesh: N nodes (createNode, real TLS on 127.0.0.1) in one process, node i
 * joining through node i-1. Each N runs in a child process of its own
 * (node --expose-gc) so that its RSS is clean. Measures the time from the
 * last start() to a full mesh (every node's members() has N-1 'connected'),
 * the RSS per connection after GC, and at N = 50 the CPU over 20 s idle
 * (default heartbeat 1 s and period 5 s).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { TlsTransport } from '../src/adapters/tls/tls-transport';
import { createNode, type GossipNode, type Transport } from '../src/index';
import { silentLogger } from '../src/main/silent-logger';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { exited, forkTracked } from '../harness/processes';
import type { Progress } from './lib/progress';
import { round, sleep } from './lib/stats';

const SIZES = [10, 30, 50];
const IDLE_AT = 50;
const IDLE_MS = 20_000;
const SETTLE_MS = 2000;
const MESH_TIMEOUT_MS = 30_000;
/** Whatever happens in a child, it is killed after this long. */
const CHILD_LIMIT_MS = 120_000;
const GOALS = { meshMs: 3000, kbPerConnection: 110, idleCpuPercent: 3 };

interface SizeResult {
  readonly nodes: number;
  readonly connections: number;
  readonly startAllMs: number;
  readonly meshFromLastStartMs: number;
  readonly meshFromFirstStartMs: number;
  readonly connectionsAuthenticated: number;
  readonly dialsFailed: number;
  readonly rssBaseMb: number;
  readonly rssAfterMb: number;
  readonly kbPerConnection: number;
  readonly heapKbPerConnection: number;
  readonly externalKbPerConnection: number;
  readonly idle?: { readonly seconds: number; readonly cpuPercentOfOneCore: number; readonly framesSentPerSecond: number; readonly cpuMicrosecondsPerFrame: number; readonly userMs: number; readonly systemMs: number; readonly pingsReceived: number; readonly peerDead: number; readonly peerDisconnected: number; readonly stillFullMesh: boolean };
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let round = 0; round < 3; round += 1) gc();
}

/**
 * With BENCH_CPU_PROF=<dir>, profiles the idle window only (what --cpu-prof
 * would give, without the mesh building); the returned function writes
 * <dir>/<name>.cpuprofile.
 */
async function startProfile(): Promise<((name: string) => Promise<void>) | undefined> {
  const dir = process.env['BENCH_CPU_PROF'];
  if (!dir) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> => new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async (name) => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

/** Counts what the mesh costs the transports: connections authenticated (counted at the dialler), dials that failed, frames sent. */
interface Counters { connections: number; dialFailed: number; sent: number }

function countingTransport(counters: Counters): Transport {
  const inner = new TlsTransport({}, silentLogger);
  return {
    listen: (options, handlers) =>
      inner.listen(options, {
        ...handlers,
        connected: (connection) => {
          if (connection.direction === 'outbound') counters.connections += 1;
          handlers.connected(connection);
        },
        dialFailed: (address, failure) => {
          counters.dialFailed += 1;
          handlers.dialFailed(address, failure);
        },
      }),
    dial: (address) => inner.dial(address),
    send: (connection, message) => {
      counters.sent += 1;
      inner.send(connection, message);
    },
    close: (connection) => inner.close(connection),
    shutdown: () => inner.shutdown(),
  };
}

function fullMesh(nodes: readonly GossipNode[]): boolean {
  return nodes.every((node) => node.members().filter((member) => member.state === 'connected').length === nodes.length - 1);
}

/** The child: builds the mesh, measures, reports over IPC. */
async function child(size: number, idleMs: number): Promise<SizeResult> {
  const tick = (step: string): void => void process.send?.({ tick: step });
  await sleep(100);
  collect();
  const base = process.memoryUsage();
  const nodes: GossipNode[] = [];
  // Counted from events, so that waiting costs nothing; members() confirms at the end.
  const counters: Counters = { connections: 0, dialFailed: 0, sent: 0 };
  let complete = 0;
  let meshedAt: number | undefined;
  let wake = (): void => undefined;
  const firstStart = performance.now();
  let previous: string | undefined;
  for (let index = 0; index < size; index += 1) {
    const node = createNode({ host: '127.0.0.1', port: 0, connect: previous === undefined ? [] : [previous] }, { transport: countingTransport(counters) });
    const peers = new Set<string>();
    const update = (change: () => void): void => {
      const before = peers.size === size - 1;
      change();
      const after = peers.size === size - 1;
      complete += Number(after) - Number(before);
      if (complete === size && nodes.length === size) {
        meshedAt ??= performance.now();
        wake();
      }
    };
    node.on('peer_connected', (event) => update(() => peers.add(event.peer)));
    node.on('peer_disconnected', (event) => update(() => peers.delete(event.peer)));
    nodes.push(node);
    const listening = await node.start();
    previous = `127.0.0.1:${listening.address.split(':').pop()}`;
  }
  const lastStart = performance.now();
  tick(`${size} nodes started`);
  if (complete === size) meshedAt ??= lastStart;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no full mesh of ${size} within ${MESH_TIMEOUT_MS} ms (${complete} nodes complete)`)), MESH_TIMEOUT_MS);
    wake = () => {
      if (complete !== size) return;
      clearTimeout(timer);
      resolve();
    };
    wake();
  });
  const meshed = meshedAt as number;
  const toMesh = { ...counters };
  if (!fullMesh(nodes)) throw new Error('events said full mesh but members() disagrees');
  tick(`${size} nodes meshed`);
  await sleep(SETTLE_MS);
  collect();
  const after = process.memoryUsage();
  const connections = (size * (size - 1)) / 2;
  const perConnection = (key: 'rss' | 'heapUsed' | 'external'): number => round((after[key] - base[key]) / 1024 / connections, 1);
  tick('rss measured');
  let idle: SizeResult['idle'];
  if (idleMs > 0) {
    let pingsReceived = 0;
    let peerDead = 0;
    let peerDisconnected = 0;
    for (const node of nodes) {
      node.on('ping_received', () => (pingsReceived += 1));
      node.on('peer_dead', () => (peerDead += 1));
      node.on('peer_disconnected', () => (peerDisconnected += 1));
    }
    const sentBefore = counters.sent;
    const profile = await startProfile();
    const cpu = process.cpuUsage();
    const wall = performance.now();
    await sleep(idleMs);
    const used = process.cpuUsage(cpu);
    const wallMs = performance.now() - wall;
    await profile?.(`mesh-idle-${size}`);
    idle = {
      seconds: round(wallMs / 1000, 2),
      cpuPercentOfOneCore: round(((used.user + used.system) / 1000 / wallMs) * 100, 2),
      userMs: round(used.user / 1000, 0),
      systemMs: round(used.system / 1000, 0),
      framesSentPerSecond: round(((counters.sent - sentBefore) / wallMs) * 1000, 0),
      cpuMicrosecondsPerFrame: round((used.user + used.system) / (counters.sent - sentBefore), 1),
      pingsReceived,
      peerDead,
      peerDisconnected,
      stillFullMesh: fullMesh(nodes),
    };
    tick('idle cpu measured');
  }
  return {
    nodes: size,
    connections,
    startAllMs: round(lastStart - firstStart, 1),
    meshFromLastStartMs: round(meshed - lastStart, 1),
    meshFromFirstStartMs: round(meshed - firstStart, 1),
    // One per pair when no dial is wasted; surplus ones (both ends dialled at once) are closed again.
    connectionsAuthenticated: toMesh.connections,
    dialsFailed: toMesh.dialFailed,
    rssBaseMb: round(base.rss / 2 ** 20, 1),
    rssAfterMb: round(after.rss / 2 ** 20, 1),
    kbPerConnection: perConnection('rss'),
    heapKbPerConnection: perConnection('heapUsed'),
    externalKbPerConnection: perConnection('external'),
    ...(idle ? { idle } : {}),
  };
}

function inChild(size: number, progress: Progress): Promise<SizeResult> {
  const proc = forkTracked(__filename, ['--child', String(size), String(size === IDLE_AT ? IDLE_MS : 0)], ['--expose-gc']);
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  return new Promise((resolve, reject) => {
    proc.on('message', (message: { tick?: string; result?: SizeResult; error?: string }) => {
      if (message.tick !== undefined) progress.tick(`N=${size}: ${message.tick}`);
      if (message.result !== undefined) resolve(message.result);
      if (message.error !== undefined) reject(new Error(`N=${size}: ${message.error}`));
    });
    void exited(proc).then((code) => reject(new Error(`N=${size}: child exited (${code}) without a result ${stderr}`)));
    setTimeout(() => proc.kill('SIGKILL'), CHILD_LIMIT_MS).unref();
  });
}

export const mesh: Benchmark = {
  name: 'mesh',
  seconds: 45,
  run: (progress) => {
    progress.begin('mesh', SIZES.length * 3 + 1);
    const params = { sizes: SIZES, join: 'node i through node i-1', heartbeatS: 1, periodS: 5, settleMs: SETTLE_MS, idleMs: IDLE_MS, idleAt: IDLE_AT, rssPerConnection: '(rss_after_gc - rss_base) / (N*(N-1)/2), both ends' };
    return record('mesh', params, async () => {
      const results: SizeResult[] = [];
      for (const size of SIZES) results.push(await inChild(size, progress));
      return { summary: { sizes: results } };
    });
  },
  rows: (result) => {
    const failed = failedRow('mesh', result);
    if (failed) return failed;
    const sizes = (result.summary as { sizes: SizeResult[] }).sizes;
    const at = (size: number): SizeResult | undefined => sizes.find((entry) => entry.nodes === size);
    const big = at(50);
    const goal = (size: number, text: string): string => (size === 50 ? text : '');
    return [
      ...sizes.map((entry) => ({ benchmark: 'mesh', measure: `N=${entry.nodes}: full mesh after last start (after first)`, result: `${show(entry.meshFromLastStartMs, 'ms', 0)} (${show(entry.meshFromFirstStartMs, 'ms', 0)})`, goal: goal(entry.nodes, `≤ ${GOALS.meshMs} ms`), ...(entry.nodes === 50 ? { met: entry.meshFromLastStartMs <= GOALS.meshMs } : {}) })),
      ...sizes.map((entry) => ({ benchmark: 'mesh', measure: `N=${entry.nodes}: RSS per connection (both ends)`, result: show(entry.kbPerConnection, 'KB'), goal: goal(entry.nodes, `≤ ${GOALS.kbPerConnection} KB`), ...(entry.nodes === 50 ? { met: entry.kbPerConnection <= GOALS.kbPerConnection } : {}) })),
      ...(big ? [{ benchmark: 'mesh', measure: 'N=50: TLS connections made to reach the mesh', result: `${big.connectionsAuthenticated} for ${big.connections} pairs`, goal: '' }] : []),
      { benchmark: 'mesh', measure: `N=50: process CPU over ${big?.idle?.seconds ?? 20} s idle, % of one core`, result: `${show(big?.idle?.cpuPercentOfOneCore, '%', 1)}${big?.idle ? ` (${big.idle.framesSentPerSecond} frames/s)` : ''}`, goal: `≤ ${GOALS.idleCpuPercent} %`, ...(big?.idle ? { met: big.idle.cpuPercentOfOneCore <= GOALS.idleCpuPercent } : {}) },
    ];
  },
};

if (require.main === module && process.argv[2] === '--child') {
  child(Number(process.argv[3]), Number(process.argv[4]))
    // Run by hand (no IPC channel), it prints its result.
    .then((result) => (process.send ? process.send({ result }) : console.log(JSON.stringify(result))))
    .catch((error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }))
    .finally(() => setTimeout(() => process.exit(0), 100));
}
