/**
 * join: 20 CLI processes started at once on free ports of 127.0.0.1, node i
 * with --connect to node i-1. Time from the last start (the moment the last
 * `listening` event is stamped) until every node has all 19 peers
 * (peer_connected minus peer_disconnected, from its own NDJSON).
 */
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { CliGroup, type CliProcess, eventTime } from '../harness/cli-process';
import { round, summarize, type Summary } from './lib/stats';

/** Pings are only counted: a benchmark keeps the membership events. */
const QUIET = { keepPings: false };

const NODES = 20;
const ROUNDS = 3;
const START_TIMEOUT_MS = 30_000;
const MESH_TIMEOUT_MS = 30_000;

/** When `node`'s own events last completed its set of `peers` others. */
function completedAt(node: CliProcess): number {
  const last = node.events.filter((event) => event.event === 'peer_connected').pop();
  return last === undefined ? Number.NaN : eventTime(last);
}

async function oneRound(): Promise<{ spawnToListeningMs: number; joinMs: number; perNodeMs: number[] }> {
  const group = new CliGroup();
  try {
    const spawned = Date.now();
    const nodes = await group.startChain(NODES, [], QUIET);
    await group.until(`${NODES} listening events`, () => nodes.every((node) => node.id !== undefined), START_TIMEOUT_MS);
    await group.until(`a full mesh of ${NODES}`, () => group.fullMesh(), MESH_TIMEOUT_MS);
    const lastStart = Math.max(...nodes.map((node) => node.listeningAt as number));
    const perNodeMs = nodes.map((node) => completedAt(node) - lastStart);
    return { spawnToListeningMs: lastStart - spawned, joinMs: Math.max(...perNodeMs), perNodeMs };
  } finally {
    await group.killAll();
  }
}

export const join: Benchmark = {
  name: 'join',
  seconds: 30,
  run: (progress) => {
    progress.begin('join', ROUNDS);
    const params = { nodes: NODES, rounds: ROUNDS, topology: 'node i --connect node i-1, all spawned at once', flags: '--output json --host 127.0.0.1 --port <free> (defaults otherwise)' };
    return record('join', params, async () => {
      const rounds = [];
      for (let index = 0; index < ROUNDS; index += 1) {
        progress.status(`round ${index + 1}: ${NODES} processes`);
        rounds.push(await oneRound());
        progress.tick(`round ${index + 1}: ${round(rounds[index]?.joinMs ?? 0, 0)} ms`);
      }
      return {
        summary: { joinMs: summarize(rounds.map((entry) => entry.joinMs)), spawnToListeningMs: summarize(rounds.map((entry) => entry.spawnToListeningMs)) },
        samples: rounds,
      };
    });
  },
  rows: (result) => {
    const failed = failedRow('join', result);
    if (failed) return failed;
    const { joinMs, spawnToListeningMs } = result.summary as { joinMs: Summary; spawnToListeningMs: Summary };
    return [
      { benchmark: 'join', measure: `${NODES} processes: last listening → full mesh, median (max) of ${joinMs.n}`, result: `${show(joinMs.median, 'ms', 0)} (${show(joinMs.max, 'ms', 0)})`, goal: '' },
      { benchmark: 'join', measure: `${NODES} processes: spawn → all listening, median`, result: show(spawnToListeningMs.median, 'ms', 0), goal: '' },
    ];
  },
};
