/**
 * startup: what a process costs before it does anything, as ratios to a
 * bare Node.js measured in the same run, interleaved (one of each per
 * round) so that the machine's load weighs on both alike:
 * - `p2p-gossip --version` and `--help` against `node -e 0`, spawn to exit;
 * - a node's launch (no key given: it makes one) to its `listening` event
 *   on stdout, against `node -e 0`;
 * - the RSS of an idle node without peers, IDLE_MS after `listening`,
 *   against an idle bare node (`node -e "setInterval(() => {}, 1e9)"`).
 */
import { spawn } from 'node:child_process';
import { BIN } from '../harness/cli-process';
import { killProcesses, register } from '../harness/processes';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { rssMiB } from './lib/proc-stats';
import { round, sleep, summarize, type Summary } from './lib/stats';

/** BENCH_QUICK=1 (any value) runs fewer rounds, to check that the benchmarks work. */
const ROUNDS = process.env['BENCH_QUICK'] ? 3 : 10;
const RSS_ROUNDS = process.env['BENCH_QUICK'] ? 1 : 3;
const IDLE_MS = 3000;
const RUN_TIMEOUT_MS = 20_000;
const IDLE_NODE = ['-e', 'setInterval(() => {}, 1e9)'];
const NODE_FLAGS = ['--output', 'json', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn'];
export const STARTUP_GOALS = { launch: 2, helpOrVersion: 1.5, idleRss: 1.3 };

/**
 * Spawns `args` under this Node.js: the ms until it exits 0, or until
 * `listening` on stdout (it is then killed). Resolves once it has exited, so
 * that no round overlaps the next.
 */
function timed(args: readonly string[], until: 'exit' | 'listening'): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = register(spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] }));
    const timer = setTimeout(() => killProcesses([child]), RUN_TIMEOUT_MS);
    let stdout = '';
    let listeningMs: number | undefined;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until === 'listening' && listeningMs === undefined && stdout.includes('"event":"listening"')) {
        listeningMs = performance.now() - started;
        killProcesses([child]);
      }
    });
    child.once('exit', (code, signal) => {
      const exitMs = performance.now() - started;
      clearTimeout(timer);
      if (listeningMs !== undefined) resolve(listeningMs);
      else if (until === 'exit' && code === 0) resolve(exitMs);
      else reject(new Error(`${args.join(' ')} exited ${code ?? signal} before it was done`));
    });
  });
}

/** Resolves once the process is running, then waits IDLE_MS and reads its RSS; the process is killed after. */
async function idleRss(args: readonly string[], until: 'spawn' | 'listening'): Promise<number> {
  const child = register(spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] }));
  try {
    if (until === 'listening') {
      await new Promise<void>((resolve, reject) => {
        let stdout = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('"event":"listening"')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`the node exited ${code} before listening`)));
      });
    }
    await sleep(IDLE_MS);
    return rssMiB(child.pid as number);
  } finally {
    killProcesses([child]);
  }
}

const ratio = (ours: Summary, bare: Summary): number => round(ours.median / bare.median, 2);

export const startup: Benchmark = {
  name: 'startup',
  seconds: 25,
  run: (progress) => {
    progress.begin('startup', ROUNDS + RSS_ROUNDS);
    const params = { rounds: ROUNDS, rssRounds: RSS_ROUNDS, idleMs: IDLE_MS, launch: `node bin/p2p-gossip ${NODE_FLAGS.join(' ')} until "listening" on stdout`, bare: 'node -e 0', idleBare: `node ${IDLE_NODE.join(' ')}` };
    return record('startup', params, async () => {
      const samples = { bareMs: [] as number[], versionMs: [] as number[], helpMs: [] as number[], launchMs: [] as number[], bareIdleRssMiB: [] as number[], nodeIdleRssMiB: [] as number[] };
      for (let index = 0; index < ROUNDS; index += 1) {
        progress.status(`round ${index + 1}: node -e 0, --version, --help, launch`);
        samples.bareMs.push(await timed(['-e', '0'], 'exit'));
        samples.versionMs.push(await timed([BIN, '--version'], 'exit'));
        samples.helpMs.push(await timed([BIN, '--help'], 'exit'));
        const launchMs = await timed([BIN, ...NODE_FLAGS], 'listening');
        samples.launchMs.push(launchMs);
        progress.tick(`launch ${round(launchMs, 0)} ms`);
      }
      for (let index = 0; index < RSS_ROUNDS; index += 1) {
        progress.status(`idle RSS ${index + 1}: a bare node, then ours`);
        samples.bareIdleRssMiB.push(await idleRss(IDLE_NODE, 'spawn'));
        samples.nodeIdleRssMiB.push(await idleRss([BIN, ...NODE_FLAGS], 'listening'));
        progress.tick();
      }
      const s = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, summarize(values)])) as Record<keyof typeof samples, Summary>;
      return {
        summary: {
          ...s,
          launchRatio: ratio(s.launchMs, s.bareMs),
          versionRatio: ratio(s.versionMs, s.bareMs),
          helpRatio: ratio(s.helpMs, s.bareMs),
          idleRssRatio: ratio(s.nodeIdleRssMiB, s.bareIdleRssMiB),
        },
        samples,
      };
    });
  },
  rows: (result) => {
    const failed = failedRow('startup', result);
    if (failed) return failed;
    const s = result.summary as Record<string, Summary> & { launchRatio: number; versionRatio: number; helpRatio: number; idleRssRatio: number };
    const bare = `\`node -e 0\` ${show(s['bareMs']?.median, 'ms', 0)}`;
    return [
      { benchmark: 'startup', measure: `launch → \`listening\`, median of ${s['launchMs']?.n}`, result: `${show(s['launchMs']?.median, 'ms', 0)} = ${show(s.launchRatio, '×', 2)} ${bare}`, goal: `≤ ${STARTUP_GOALS.launch} ×`, met: s.launchRatio <= STARTUP_GOALS.launch },
      { benchmark: 'startup', measure: '`--version`, median', result: `${show(s['versionMs']?.median, 'ms', 0)} = ${show(s.versionRatio, '×', 2)}`, goal: `≤ ${STARTUP_GOALS.helpOrVersion} ×`, met: s.versionRatio <= STARTUP_GOALS.helpOrVersion },
      { benchmark: 'startup', measure: '`--help`, median', result: `${show(s['helpMs']?.median, 'ms', 0)} = ${show(s.helpRatio, '×', 2)}`, goal: `≤ ${STARTUP_GOALS.helpOrVersion} ×`, met: s.helpRatio <= STARTUP_GOALS.helpOrVersion },
      { benchmark: 'startup', measure: 'idle RSS, no peers, median', result: `${show(s['nodeIdleRssMiB']?.median, 'MiB')} = ${show(s.idleRssRatio, '×', 2)} a bare idle node (${show(s['bareIdleRssMiB']?.median, 'MiB')})`, goal: `≤ ${STARTUP_GOALS.idleRss} ×`, met: s.idleRssRatio <= STARTUP_GOALS.idleRss },
    ];
  },
};
