/**
 * restart: a node with --data-dir and its 4 peers (5 CLI processes, default
 * timings, a full mesh), once the node has pinned all 4 in its data dir
 * (it pins only established peers, after 5 s connected). Each round kills the node with SIGKILL, waits until
 * its peers have seen it go, and launches it again with the same --data-dir
 * and port and no --connect: what it remembers is all it has. Measures the
 * time from that launch until it counts all 4 peers as connected and each of
 * them counts it (the last such `peer_connected`), and its launch →
 * `listening`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CliGroup, type CliProcess, eventTime } from '../harness/cli-process';
import { freePorts } from '../harness/free-port';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { round, summarize, type Summary } from './lib/stats';

const PEERS = 4;
const ROUNDS = process.env['BENCH_QUICK'] ? 2 : 5;
const TIMEOUT_MS = 30_000;
const QUIET = { keepPings: false };
export const RESTART_GOAL_MS = 200;

/**
 * How many peers the data dir pins (0 while peers.json is missing or being replaced). A node pins
 * only established peers (connected for max(period, 3 heartbeats), 5 s here): killed before that,
 * it would remember nobody, and the round would measure its peers' redial backoff instead.
 */
function pinnedPeers(dataDir: string): number {
  try {
    const document = JSON.parse(readFileSync(join(dataDir, 'peers.json'), 'utf8')) as { peers?: unknown[] };
    return document.peers?.length ?? 0;
  } catch {
    return 0;
  }
}

/** Polls the data dir (a file, so no output line announces the change) until it pins `count` peers, or fails at the deadline. */
async function untilPinned(dataDir: string, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pinnedPeers(dataDir) < count) {
    if (Date.now() > deadline) throw new Error(`the data dir pinned ${pinnedPeers(dataDir)} of ${count} peers after ${timeoutMs} ms`);
    await delay(50);
  }
}

/** The stamp of the first `peer_connected` for `peer` that `node` printed at or after `since`. */
function connectedSince(node: CliProcess, peer: string, since: number): number | undefined {
  const event = node.events.find((candidate) => candidate.event === 'peer_connected' && candidate.peer === peer && eventTime(candidate) >= since);
  return event === undefined ? undefined : eventTime(event);
}

export const restart: Benchmark = {
  name: 'restart',
  seconds: 15,
  run: (progress) => {
    progress.begin('restart', ROUNDS + 1);
    const params = { peers: PEERS, rounds: ROUNDS, restart: 'SIGKILL, then the same --data-dir and --port, no --connect', flags: '--output json --host 127.0.0.1 (default timings), LOG_LEVEL=warn' };
    return record('restart', params, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'p2p-gossip-bench-restart-'));
      const group = new CliGroup();
      try {
        const peers = await group.startChain(PEERS, [], QUIET);
        const [port] = await freePorts(1);
        const args = ['--port', String(port), '--data-dir', dataDir];
        let node = group.start('restarted', [...args, '--connect', (await (peers[PEERS - 1] as CliProcess).listening(TIMEOUT_MS)).address], QUIET);
        await group.until(`a full mesh of ${PEERS + 1}`, () => group.fullMesh([...peers, node]), TIMEOUT_MS);
        const id = node.id as string;
        await untilPinned(dataDir, PEERS, TIMEOUT_MS);
        progress.tick('meshed');
        const rounds: { reconnectMs: number; spawnToListeningMs: number }[] = [];
        for (let index = 0; index < ROUNDS; index += 1) {
          await node.stop('SIGKILL');
          await group.until('every peer sees the node gone', () => peers.every((peer) => !peer.connected.has(id)), TIMEOUT_MS);
          const launchedAt = Date.now();
          node = group.start(`restarted ${index + 1}`, args, QUIET);
          const again = node;
          await group.until('the node and its peers reconnected', () => peers.every((peer) => again.connected.has(peer.id as string) && connectedSince(peer, id, launchedAt) !== undefined), TIMEOUT_MS);
          if (again.id !== id) throw new Error(`the data dir did not keep the identity (${again.id} after ${id})`);
          const stamps = [...peers.map((peer) => connectedSince(peer, id, launchedAt) as number), ...peers.map((peer) => connectedSince(again, peer.id as string, launchedAt) as number)];
          rounds.push({ reconnectMs: Math.max(...stamps) - launchedAt, spawnToListeningMs: (again.listeningAt as number) - launchedAt });
          progress.tick(`round ${index + 1}: ${round(rounds[index]?.reconnectMs ?? 0, 0)} ms`);
        }
        return {
          summary: { reconnectMs: summarize(rounds.map((entry) => entry.reconnectMs)), spawnToListeningMs: summarize(rounds.map((entry) => entry.spawnToListeningMs)) },
          samples: rounds,
        };
      } finally {
        await group.killAll();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  },
  rows: (result) => {
    const failed = failedRow('restart', result);
    if (failed) return failed;
    const { reconnectMs, spawnToListeningMs } = result.summary as { reconnectMs: Summary; spawnToListeningMs: Summary };
    return [
      { benchmark: 'restart', measure: `kill -9, relaunch with --data-dir → it and its ${PEERS} peers reconnected, median (max) of ${reconnectMs.n}`, result: `${show(reconnectMs.median, 'ms', 0)} (${show(reconnectMs.max, 'ms', 0)})`, goal: `≤ ${RESTART_GOAL_MS} ms`, met: reconnectMs.median <= RESTART_GOAL_MS },
      { benchmark: 'restart', measure: 'its launch → listening, median', result: show(spawnToListeningMs.median, 'ms', 0), goal: '' },
    ];
  },
};
