/**
 * cluster: meshes of 20 and 50 CLI processes, one process per node, with the
 * default timings. The nodes are launched one after another, each once its
 * predecessor is `listening`, joining through it; the last one once the
 * first N-1 are a full mesh. Measures:
 * - first launch → full mesh, and last launch → full mesh (the moment the
 *   last `peer_connected` that completes it is stamped);
 * - over two windows of IDLE_MS each, one after the other, SETTLE_MS after
 *   the mesh: the CPU of every process (its threads' run time, see
 *   proc-stats) and of the whole cluster, and the CPU per frame: all the
 *   cluster's CPU over every frame sent and received, counting one frame
 *   per socket write (write calls of /proc/<pid>/io less the lines written
 *   to stdout), each frame received once. The first window is the warm-up:
 *   the nodes are seconds old, V8 is still compiling their hot paths and
 *   its memory reducer runs its collections about 8 s after a start. The
 *   second is the steady idle a node keeps for as long as it runs, and the
 *   one the goals are for;
 * - each process's RSS at the end of the second window, beside a bare idle
 *   node's measured alongside.
 */
import { spawn } from 'node:child_process';
import { CliGroup, type CliProcess, eventTime } from '../harness/cli-process';
import { killProcesses, register } from '../harness/processes';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { cpuMs, rssMiB, writeCalls } from './lib/proc-stats';
import type { Progress } from './lib/progress';
import { round, sleep, summarize, type Summary } from './lib/stats';

const QUICK = Boolean(process.env['BENCH_QUICK']);
const SIZES = QUICK ? [5, 8] : [20, 50];
const IDLE_MS = QUICK ? 5000 : 30_000;
const SETTLE_MS = QUICK ? 1000 : 5000;
const LISTEN_TIMEOUT_MS = 20_000;
const MESH_TIMEOUT_MS = 60_000;
const QUIET = { keepPings: false };
const IDLE_NODE = ['-e', 'setInterval(() => {}, 1e9)'];
/** Issue 10's goals; the join goals are for 20 processes, the idle CPU ones for 50. */
export const CLUSTER_GOALS = { firstLaunchMs: 3000, lastLaunchMs: 300, cpuPercentPerProcess: 0.4, clusterCpuPercent: 20, idleRssRatio: 1.3 };

/** The cluster's CPU and frames over one idle window. */
interface IdleWindow {
  /** Seconds since the mesh was complete, at the window's start. */
  readonly startsAfterMeshS: number;
  readonly seconds: number;
  readonly cpuPercentPerProcess: Summary;
  readonly clusterCpuPercent: number;
  readonly framesPerSecond: number;
  readonly cpuMicrosecondsPerFrame: number;
  readonly stillFullMesh: boolean;
  readonly peerDead: number;
  readonly peerDisconnected: number;
}

interface SizeResult {
  readonly nodes: number;
  readonly firstLaunchToMeshMs: number;
  readonly lastLaunchToMeshMs: number;
  readonly lastSpawnToListeningMs: number;
  /** The first window after the mesh (warm-up). */
  readonly warmUp: IdleWindow;
  /** The next one (steady idle): the goals' window; RSS read at its end. */
  readonly idle: IdleWindow & {
    readonly rssMiB: Summary;
    readonly bareIdleRssMiB: number;
    readonly rssRatio: number;
  };
}

/** When the last peer_connected among `nodes` was stamped. */
function lastConnectedAt(nodes: readonly CliProcess[]): number {
  return Math.max(...nodes.map((node) => Math.max(...node.events.filter((event) => event.event === 'peer_connected').map(eventTime))));
}

function linesOut(node: CliProcess): number {
  return node.events.length + node.pings;
}

/** Where window `index` (0: warm-up, 1: steady) lies, as planned; each window's measured start is in its `startsAfterMeshS`. */
function windowLabel(index: number): string {
  const start = SETTLE_MS + index * IDLE_MS;
  return `${start / 1000}–${(start + IDLE_MS) / 1000} s`;
}

/** Measures the cluster over IDLE_MS from now. */
async function idleWindow(group: CliGroup, nodes: readonly CliProcess[], meshAt: number): Promise<IdleWindow> {
  const events = nodes.map((node) => node.events.length);
  const before = nodes.map((node) => ({ cpu: cpuMs(node.pid), writes: writeCalls(node.pid), lines: linesOut(node) }));
  const startsAfterMeshS = round((Date.now() - meshAt) / 1000, 1);
  const startedAt = performance.now();
  await sleep(IDLE_MS);
  const seconds = (performance.now() - startedAt) / 1000;
  const after = nodes.map((node) => ({ cpu: cpuMs(node.pid), writes: writeCalls(node.pid), lines: linesOut(node) }));
  const cpu = after.map((entry, index) => entry.cpu - (before[index]?.cpu ?? 0));
  const frames = after.reduce((sum, entry, index) => sum + (entry.writes - (before[index]?.writes ?? 0)) - (entry.lines - (before[index]?.lines ?? 0)), 0);
  const windowEvents = nodes.flatMap((node, index) => node.events.slice(events[index]));
  const clusterCpuMs = cpu.reduce((sum, value) => sum + value, 0);
  return {
    startsAfterMeshS,
    seconds: round(seconds, 1),
    cpuPercentPerProcess: summarize(cpu.map((ms) => (ms / (seconds * 1000)) * 100)),
    clusterCpuPercent: round((clusterCpuMs / (seconds * 1000)) * 100, 2),
    framesPerSecond: round(frames / seconds, 1),
    // Every frame is sent by one process and received by another: both ends pay for it.
    cpuMicrosecondsPerFrame: frames > 0 ? round((clusterCpuMs * 1000) / (2 * frames), 1) : Number.NaN,
    stillFullMesh: group.fullMesh(nodes),
    peerDead: windowEvents.filter((event) => event.event === 'peer_dead').length,
    peerDisconnected: windowEvents.filter((event) => event.event === 'peer_disconnected').length,
  };
}

async function oneSize(count: number, progress: Progress): Promise<SizeResult> {
  const group = new CliGroup();
  const bare = register(spawn(process.execPath, IDLE_NODE, { detached: true, stdio: 'ignore' }));
  try {
    const nodes: CliProcess[] = [];
    // Port 0: each node binds a free port itself and says which in `listening`, so no port can be taken meanwhile.
    const launch = (index: number): CliProcess => {
      const previous = nodes[index - 1];
      const join = previous === undefined ? [] : ['--connect', previous.address as string];
      const node = group.start(`n${index}`, ['--port', '0', ...join], QUIET);
      nodes.push(node);
      return node;
    };
    const firstSpawn = Date.now();
    for (let index = 0; index < count - 1; index += 1) {
      await launch(index).listening(LISTEN_TIMEOUT_MS);
      progress.status(`${count} processes: ${index + 1} launched`);
    }
    await group.until(`a full mesh of the first ${count - 1}`, () => group.fullMesh(nodes), MESH_TIMEOUT_MS);
    const lastSpawn = Date.now();
    const last = launch(count - 1);
    await group.until(`a full mesh of ${count}`, () => group.fullMesh(nodes), MESH_TIMEOUT_MS);
    const meshAt = lastConnectedAt(nodes);
    progress.tick(`${count} processes meshed; idle for 2 × ${IDLE_MS / 1000} s`);

    await sleep(SETTLE_MS);
    const warmUp = await idleWindow(group, nodes, meshAt);
    progress.status(`${count} processes: warm-up ${round(warmUp.clusterCpuPercent, 1)} % of a core in all; steady idle next`);
    const steady = await idleWindow(group, nodes, meshAt);
    const rss = summarize(nodes.map((node) => rssMiB(node.pid)));
    const bareRss = rssMiB(bare.pid as number);
    progress.tick(`${count} processes: ${round(steady.clusterCpuPercent, 1)} % of a core in all`);
    return {
      nodes: count,
      firstLaunchToMeshMs: meshAt - firstSpawn,
      lastLaunchToMeshMs: meshAt - lastSpawn,
      lastSpawnToListeningMs: (last.listeningAt as number) - lastSpawn,
      warmUp,
      idle: { ...steady, rssMiB: rss, bareIdleRssMiB: round(bareRss, 1), rssRatio: round(rss.median / bareRss, 2) },
    };
  } finally {
    killProcesses([bare]);
    await group.killAll();
  }
}

export const cluster: Benchmark = {
  name: 'cluster',
  seconds: 170,
  run: (progress) => {
    progress.begin('cluster', 2 * SIZES.length);
    const params = { sizes: SIZES, idleMs: IDLE_MS, settleMs: SETTLE_MS, windows: 'warm-up (SETTLE_MS after the mesh), then steady idle (the goals), IDLE_MS each', launch: 'one after another, each once the previous is listening, --connect to it; the last once the others are a full mesh', flags: '--output json --host 127.0.0.1 --port 0 (default timings), LOG_LEVEL=warn' };
    return record('cluster', params, async () => {
      const sizes: SizeResult[] = [];
      for (const count of SIZES) sizes.push(await oneSize(count, progress));
      return { summary: { sizes } };
    });
  },
  rows: (result) => {
    const failed = failedRow('cluster', result);
    if (failed) return failed;
    const { sizes } = result.summary as { sizes: SizeResult[] };
    const [small, large] = [sizes[0], sizes[sizes.length - 1]];
    const rows = [];
    for (const entry of sizes) {
      const n = entry.nodes;
      const joinGoals = entry === small;
      const cpuGoals = entry === large;
      rows.push(
        { benchmark: 'cluster', measure: `${n} processes: first launch → full mesh`, result: show(entry.firstLaunchToMeshMs, 'ms', 0), ...(joinGoals ? { goal: `≤ ${CLUSTER_GOALS.firstLaunchMs} ms`, met: entry.firstLaunchToMeshMs <= CLUSTER_GOALS.firstLaunchMs } : { goal: '' }) },
        { benchmark: 'cluster', measure: `${n} processes: last launch → full mesh (its launch → listening)`, result: `${show(entry.lastLaunchToMeshMs, 'ms', 0)} (${show(entry.lastSpawnToListeningMs, 'ms', 0)})`, ...(joinGoals ? { goal: `≤ ${CLUSTER_GOALS.lastLaunchMs} ms`, met: entry.lastLaunchToMeshMs <= CLUSTER_GOALS.lastLaunchMs } : { goal: '' }) },
        { benchmark: 'cluster', measure: `${n} processes: idle RSS per process, median (max)`, result: `${show(entry.idle.rssMiB.median, 'MiB')} (${show(entry.idle.rssMiB.max, 'MiB')}) = ${show(entry.idle.rssRatio, '×', 2)} a bare idle node (${show(entry.idle.bareIdleRssMiB, 'MiB')})`, ...(joinGoals ? { goal: `≤ ${CLUSTER_GOALS.idleRssRatio} ×`, met: entry.idle.rssRatio <= CLUSTER_GOALS.idleRssRatio } : { goal: '' }) },
        { benchmark: 'cluster', measure: `${n} processes: warm-up, ${windowLabel(0)} after the mesh: CPU per process, median (max); whole cluster`, result: `${show(entry.warmUp.cpuPercentPerProcess.median, '%', 2)} (${show(entry.warmUp.cpuPercentPerProcess.max, '%', 2)}); ${show(entry.warmUp.clusterCpuPercent, '%', 1)} of a core${entry.warmUp.stillFullMesh && entry.warmUp.peerDead === 0 ? '' : `, ${entry.warmUp.peerDead} peer_dead, ${entry.warmUp.peerDisconnected} disconnects`}`, goal: '' },
        { benchmark: 'cluster', measure: `${n} processes: idle CPU per process, ${windowLabel(1)} after the mesh, median (max)`, result: `${show(entry.idle.cpuPercentPerProcess.median, '%', 2)} (${show(entry.idle.cpuPercentPerProcess.max, '%', 2)}) of a core`, ...(cpuGoals ? { goal: `≤ ${CLUSTER_GOALS.cpuPercentPerProcess} %`, met: entry.idle.cpuPercentPerProcess.median <= CLUSTER_GOALS.cpuPercentPerProcess } : { goal: '' }) },
        { benchmark: 'cluster', measure: `${n} processes: idle CPU of the whole cluster`, result: `${show(entry.idle.clusterCpuPercent, '%', 1)} of a core${entry.idle.stillFullMesh && entry.idle.peerDead === 0 ? '' : `, ${entry.idle.peerDead} peer_dead, ${entry.idle.peerDisconnected} disconnects`}`, ...(cpuGoals ? { goal: `≤ ${CLUSTER_GOALS.clusterCpuPercent} %`, met: entry.idle.clusterCpuPercent <= CLUSTER_GOALS.clusterCpuPercent } : { goal: '' }) },
        { benchmark: 'cluster', measure: `${n} processes: CPU per frame (frames per second, cluster)`, result: `${show(entry.idle.cpuMicrosecondsPerFrame, 'µs', 0)} (${show(entry.idle.framesPerSecond, '/s', 0)})`, goal: '' },
      );
    }
    return rows;
  },
};
