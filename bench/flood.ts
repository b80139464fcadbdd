/**
 * flood: one node (and a second meshed with it), then a stranger sends it one
 * peer list of 4096 made-up identities at addresses that refuse at once
 * (127.1.x.y:9), which is the issue-13 attack. VmRSS of the target before,
 * at its peak, and `BENCH_FLOOD_AFTER_S` (default 60) seconds after; goal:
 * after ≤ 1.5 × before. Also the CPU time the node spent in the first 5 s.
 */
import { readFileSync } from 'node:fs';
import { strangerSays } from './hostile-client';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { freePorts } from '../harness/free-port';
import { CliGroup } from '../harness/cli-process';
import { sleep } from './lib/stats';

const FLAGS = ['--heartbeat-interval', '0.25', '--dead-after', '1.5', '--period', '1'];
const ENTRIES = 4096;
const GOAL_RATIO = 1.5;
const TIMEOUT_MS = 30_000;

function afterSeconds(): number {
  const value = Number(process.env['BENCH_FLOOD_AFTER_S'] ?? 60);
  return Number.isFinite(value) && value > 0 ? value : 60;
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

/** utime + stime of a process, in clock ticks (100 a second on Linux). */
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

export const flood: Benchmark = {
  name: 'flood',
  seconds: 75,
  run: (progress) => {
    const after = afterSeconds();
    progress.begin('flood', 3);
    const params = { entries: ENTRIES, addresses: '127.1.x.y:9 (refused at once)', afterS: after, flags: FLAGS.join(' ') };
    return record('flood', params, async () => {
      const group = new CliGroup();
      try {
        const [portA, portB] = (await freePorts(2)) as [number, number];
        const a = group.start('a', ['--port', String(portA), ...FLAGS]);
        group.start('b', ['--port', String(portB), ...FLAGS, '--connect', `127.0.0.1:${portA}`]);
        await group.until('a mesh of 2', () => group.nodes.every((node) => node.id !== undefined) && group.fullMesh(), TIMEOUT_MS);
        await sleep(3_000);
        const beforeKb = rssKb(a.pid);
        progress.tick('meshed; sending the list');
        const peers = Array.from({ length: ENTRIES }, (_, i) => ({
          id: (i.toString(16).padStart(8, '0').repeat(8)) as never,
          addr: `127.1.${(i >> 8) & 255}.${i & 255}:9` as never,
        }));
        const ticks = cpuTicks(a.pid);
        await strangerSays({ port: portA, id: a.id as string }, 9, [{ v: 1, t: 'peers', peers, ask: false }]);
        let peakKb = beforeKb;
        const started = Date.now();
        let cpuFirst5s = Number.NaN;
        while (Date.now() - started < after * 1000) {
          await sleep(250);
          peakKb = Math.max(peakKb, rssKb(a.pid));
          if (Number.isNaN(cpuFirst5s) && Date.now() - started >= 5_000) cpuFirst5s = (cpuTicks(a.pid) - ticks) / 100;
        }
        progress.tick('measured');
        const afterKb = rssKb(a.pid);
        if (!group.fullMesh()) throw new Error('the mesh of 2 broke during the flood');
        progress.tick('done');
        return { summary: { beforeMb: beforeKb / 1024, peakMb: peakKb / 1024, afterMb: afterKb / 1024, ratio: afterKb / beforeKb, cpuFirst5s } };
      } finally {
        group.killAll();
      }
    });
  },
  rows: (result) => {
    const failed = failedRow('flood', result);
    if (failed) return failed;
    const summary = result.summary as { beforeMb: number; peakMb: number; afterMb: number; ratio: number; cpuFirst5s: number };
    const afterS = (result.params as { afterS: number }).afterS;
    return [{
      benchmark: 'flood',
      measure: `RSS ${afterS} s after one list of 4096 made-up peers, over before (${show(summary.beforeMb, 'MiB')} → peak ${show(summary.peakMb, 'MiB')} → ${show(summary.afterMb, 'MiB')}; CPU ${show(summary.cpuFirst5s, 's')} in 5 s)`,
      result: show(summary.ratio, '×', 2),
      goal: `≤ ${GOAL_RATIO} ×`,
      met: summary.ratio <= GOAL_RATIO,
    }];
  },
};
