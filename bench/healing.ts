/**
 * healing: 12 CLI processes meshed (fast settings), then group B (6 of them)
 * is frozen with SIGSTOP: its sockets stay open but nothing answers, so
 * group A declares every B node dead. While B is frozen a 13th node joins
 * through A. Then SIGCONT: time until one full mesh of all 13 (each node
 * connected to the 12 others by its own events), and still so after a
 * settling spell.
 */
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { freePorts } from '../harness/free-port';
import { CliGroup, type CliProcess, eventTime } from '../harness/cli-process';
import { sleep } from './lib/stats';

/** Pings are only counted: a benchmark keeps the membership events. */
const QUIET = { keepPings: false };

const SIDE = 6;
const FLAGS = ['--heartbeat-interval', '0.25', '--dead-after', '1.5', '--reconnect-max', '1', '--period', '1'];
const EXTRA_STOP_MS = 1000;
const SETTLE_MS = 3000;
const TIMEOUT_MS = 30_000;

function deadSince(node: CliProcess, peer: string, since: number): boolean {
  return node.events.some((event) => event.event === 'peer_dead' && event.peer === peer && eventTime(event) >= since - 1);
}

/** Latest stamp among the events of `nodes`: when the state they describe was reached. */
function lastStamp(nodes: readonly CliProcess[]): number {
  return Math.max(...nodes.map((node) => eventTime(node.events[node.events.length - 1] ?? { ts: '', event: '' })));
}

export const healing: Benchmark = {
  name: 'healing',
  seconds: 30,
  run: (progress) => {
    progress.begin('healing', 4);
    const params = { groups: `${SIDE} + ${SIDE}, +1 joining the running side during the cut`, flags: FLAGS.join(' '), cut: 'SIGSTOP of group B until every A node reported peer_dead for every B node, the newcomer joined A, and 1 s more', settleMs: SETTLE_MS };
    return record('healing', params, async () => {
      const group = new CliGroup();
      try {
        const nodes = await group.startChain(2 * SIDE, FLAGS, QUIET);
        const [sideA, sideB] = [nodes.slice(0, SIDE), nodes.slice(SIDE)];
        await group.until('12 listening events', () => nodes.every((node) => node.id !== undefined), TIMEOUT_MS);
        await group.until('a full mesh of 12', () => group.fullMesh(), TIMEOUT_MS);
        progress.tick('meshed; SIGSTOP group B');
        const stoppedAt = Date.now();
        for (const node of sideB) node.signal('SIGSTOP');
        await group.until('A reports every B node dead', () => sideA.every((a) => sideB.every((b) => deadSince(a, b.id as string, stoppedAt))), TIMEOUT_MS);
        const declaredDeadMs = lastStamp(sideA) - stoppedAt;
        progress.tick('B declared dead; a 13th node joins A');
        const [port] = await freePorts(1);
        const newcomer = group.start('new', ['--port', String(port), ...FLAGS, '--connect', (sideA[0] as CliProcess).address as string], QUIET);
        await group.until('the newcomer meshed with A', () => group.fullMesh([...sideA, newcomer]), TIMEOUT_MS);
        await sleep(EXTRA_STOP_MS);
        const all = group.nodes;
        const resumedAt = Date.now();
        for (const node of sideB) node.signal('SIGCONT');
        progress.tick('SIGCONT; waiting for one mesh of 13');
        await group.until('a full mesh of 13', () => group.fullMesh(all), TIMEOUT_MS);
        let healedAt = lastStamp(all);
        await sleep(SETTLE_MS);
        let flapped = false;
        if (!group.fullMesh(all)) {
          flapped = true;
          await group.until('a full mesh of 13 again', () => group.fullMesh(all), TIMEOUT_MS);
          healedAt = lastStamp(all);
        }
        progress.tick('healed');
        // Who declared whom dead after SIGCONT: B nodes check their timers before reading what A sent meanwhile.
        const side = (id: unknown): string => (sideA.some((node) => node.id === id) ? 'A' : sideB.some((node) => node.id === id) ? 'B' : 'new');
        const deadAfterResume: Record<string, number> = {};
        for (const node of all) {
          for (const event of node.events) {
            if (event.event !== 'peer_dead' || eventTime(event) < resumedAt) continue;
            const key = `${side(node.id)} about ${side(event.peer)}`;
            deadAfterResume[key] = (deadAfterResume[key] ?? 0) + 1;
          }
        }
        const count = (name: string): number => all.reduce((sum, node) => sum + node.events.filter((event) => event.event === name && eventTime(event) >= resumedAt).length, 0);
        return {
          summary: {
            healMs: healedAt - resumedAt,
            stoppedMs: resumedAt - stoppedAt,
            declaredDeadMs,
            flapped,
            deadAfterResume,
            afterResume: { peerConnected: count('peer_connected'), peerDisconnected: count('peer_disconnected'), peerDead: count('peer_dead'), peerRejected: count('peer_rejected') },
          },
        };
      } finally {
        await group.killAll();
      }
    });
  },
  rows: (result) => {
    const failed = failedRow('healing', result);
    if (failed) return failed;
    const summary = result.summary as { healMs: number; stoppedMs: number; flapped: boolean };
    return [{ benchmark: 'healing', measure: `6+6 cut ${(summary.stoppedMs / 1000).toFixed(1)} s (SIGSTOP), +1 joined: SIGCONT → mesh of 13${summary.flapped ? ' (flapped)' : ''}`, result: show(summary.healMs, 'ms', 0), goal: '' }];
  },
};
