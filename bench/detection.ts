/**
 * detection: 20 CLI processes (--heartbeat-interval 0.5 --dead-after 2)
 * meshed while a CPU hog spins on every core; after a quiet spell, one node
 * is killed with SIGKILL. Measures the time from the kill until each of the
 * other 19 reports peer_dead for it, and counts false peer_dead events
 * (for nodes never killed) over the whole run, hog included throughout.
 */
import { cpus } from 'node:os';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { CliGroup, type CliProcess, eventTime } from '../harness/cli-process';
import { killProcesses, startCpuHog } from '../harness/processes';
import { sleep, summarize, type Summary } from './lib/stats';

/** Pings are only counted: a benchmark keeps the membership events. */
const QUIET = { keepPings: false };

const NODES = 20;
const FLAGS = ['--heartbeat-interval', '0.5', '--dead-after', '2'];
const QUIET_MS = 15_000;
const AFTER_MS = 5000;
const TIMEOUT_MS = 60_000;

/** ms from `since` to the first `event` about `peer` that `node` stamped at or after it. */
function firstAfter(node: CliProcess, event: string, peer: string, since: number): number | undefined {
  const found = node.events.find((entry) => entry.event === event && entry.peer === peer && eventTime(entry) >= since - 1);
  return found === undefined ? undefined : eventTime(found) - since;
}

export const detection: Benchmark = {
  name: 'detection',
  seconds: 45,
  run: (progress) => {
    progress.begin('detection', 4);
    const hogs = cpus().length;
    const params = { nodes: NODES, flags: FLAGS.join(' '), cpuHogProcesses: hogs, quietMs: QUIET_MS, afterKillMs: AFTER_MS, kill: 'SIGKILL of node n10', timesFrom: 'event ts vs. the moment of kill()' };
    return record('detection', params, async () => {
      const hog = startCpuHog(hogs);
      const group = new CliGroup();
      try {
        const nodes = await group.startChain(NODES, FLAGS, QUIET);
        await group.until(`${NODES} listening events`, () => nodes.every((node) => node.id !== undefined), TIMEOUT_MS);
        await group.until(`a full mesh of ${NODES}`, () => group.fullMesh(), TIMEOUT_MS);
        progress.tick(`meshed under CPU hog; quiet ${QUIET_MS / 1000} s`);
        await sleep(QUIET_MS);
        progress.tick('kill -9 n10');
        const victim = nodes[10] as CliProcess;
        const victimId = victim.id as string;
        const others = nodes.filter((node) => node !== victim);
        const killedAt = Date.now();
        victim.signal('SIGKILL');
        const dead = (node: CliProcess): boolean => firstAfter(node, 'peer_dead', victimId, killedAt) !== undefined;
        await group.until('peer_dead from all 19 others', () => others.every(dead), TIMEOUT_MS);
        progress.tick(`all reported peer_dead; watching ${AFTER_MS / 1000} s more`);
        await sleep(AFTER_MS);
        const deadMs = others.map((node) => firstAfter(node, 'peer_dead', victimId, killedAt) as number);
        const disconnectedMs = others.map((node) => firstAfter(node, 'peer_disconnected', victimId, killedAt) ?? Number.NaN);
        const falseDead = nodes.flatMap((node) => node.events.filter((event) => event.event === 'peer_dead' && event.peer !== victimId).map((event) => ({ at: node.name, peer: event.peer, ts: event.ts, silentMs: event['silentMs'] })));
        const falseDisconnects = nodes.reduce((sum, node) => sum + node.events.filter((event) => event.event === 'peer_disconnected' && event.peer !== victimId).length, 0);
        progress.tick('done');
        return {
          summary: { deadMs: summarize(deadMs), disconnectedMs: summarize(disconnectedMs.filter(Number.isFinite)), falsePeerDead: falseDead.length, falsePeerDisconnected: falseDisconnects, pingsReceived: nodes.reduce((sum, node) => sum + node.pings, 0) },
          samples: { deadMs, disconnectedMs, falseDead },
        };
      } finally {
        await group.killAll();
        killProcesses(hog);
      }
    });
  },
  rows: (result) => {
    const failed = failedRow('detection', result);
    if (failed) return failed;
    const { deadMs, falsePeerDead, falsePeerDisconnected } = result.summary as { deadMs: Summary; falsePeerDead: number; falsePeerDisconnected: number };
    return [
      { benchmark: 'detection', measure: `kill -9 → peer_dead at all ${deadMs.n} others (dead-after 2 s), min / median / max`, result: `${show(deadMs.min, '', 0)} / ${show(deadMs.median, '', 0)} / ${show(deadMs.max, 'ms', 0)}`, goal: '' },
      { benchmark: 'detection', measure: 'false peer_dead (disconnects), 2 cores hogged', result: `${falsePeerDead} (${falsePeerDisconnected})`, goal: '0', met: falsePeerDead === 0 },
    ];
  },
};
