/**
 * long-split: 3 + 3 CLI processes meshed with the default --reconnect-max
 * (10 s), then cut apart for `BENCH_SPLIT_S` seconds (default 30), longer
 * than the backoff cap, so every redial timer sits near it. Where root may use
 * `ip netns`, each side runs in a network namespace of its own, joined by a
 * veth pair, and the cut is both ends of the link going down; else side B is
 * frozen with SIGSTOP. Measured: from the link's return (or SIGCONT) to one
 * full mesh of 6 again, by the nodes' own event stamps. Goal ≤ 2 s.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import { freePorts } from '../harness/free-port';
import { eventTime, type JsonEvent } from '../harness/cli-process';
import { spawnTracked } from '../harness/processes';
import { repoRoot } from './lib/results';
import { sleep } from './lib/stats';

const SIDE = 3;
const FLAGS = ['--heartbeat-interval', '0.25', '--dead-after', '1.5', '--period', '1'];
const GOAL_MS = 2_000;
const TIMEOUT_MS = 60_000;
const BIN = join(repoRoot(), 'bin', 'p2p-gossip');

function splitSeconds(): number {
  const value = Number(process.env['BENCH_SPLIT_S'] ?? 30);
  return Number.isFinite(value) && value > 0 ? value : 30;
}

/** One node: a CLI process (in a namespace or not) whose membership events are tracked. */
class SplitNode {
  readonly connected = new Set<string>();
  readonly events: JsonEvent[] = [];
  id: string | undefined;

  constructor(readonly child: ChildProcess, readonly address: string, wake: () => void) {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let event: JsonEvent;
      try {
        event = JSON.parse(line) as JsonEvent;
      } catch {
        return;
      }
      if (event.event === 'ping_sent' || event.event === 'ping_received') return;
      this.events.push(event);
      if (event.event === 'listening') this.id = event['id'] as string;
      else if (event.event === 'peer_connected' && event.peer) this.connected.add(event.peer);
      else if (event.event === 'peer_disconnected' && event.peer) this.connected.delete(event.peer);
      wake();
    });
    child.stderr?.resume();
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined && this.child.exitCode === null) process.kill(this.child.pid, signal);
  }
}

/** Two namespaces joined by a veth pair; undefined where `ip netns` is not allowed. */
class Namespaces {
  readonly names: readonly [string, string];
  readonly hosts: readonly [string, string];
  private readonly links: readonly [string, string];

  private constructor(tag: number) {
    this.names = [`p2pg-a-${tag}`, `p2pg-b-${tag}`];
    this.links = [`p2pga${tag % 100000}`, `p2pgb${tag % 100000}`];
    const net = 10 + (tag % 200);
    this.hosts = [`10.213.${net}.1`, `10.213.${net}.2`];
  }

  static create(): Namespaces | undefined {
    if (process.getuid?.() !== 0) return undefined;
    const spaces = new Namespaces(process.pid);
    try {
      const [a, b] = spaces.names;
      const [la, lb] = spaces.links;
      const ip = (...args: string[]): void => {
        execFileSync('ip', args, { stdio: 'ignore' });
      };
      ip('netns', 'add', a);
      ip('netns', 'add', b);
      ip('link', 'add', la, 'type', 'veth', 'peer', 'name', lb);
      ip('link', 'set', la, 'netns', a);
      ip('link', 'set', lb, 'netns', b);
      ip('-n', a, 'addr', 'add', `${spaces.hosts[0]}/24`, 'dev', la);
      ip('-n', b, 'addr', 'add', `${spaces.hosts[1]}/24`, 'dev', lb);
      for (const [space, link] of [[a, la], [b, lb]] as const) {
        ip('-n', space, 'link', 'set', 'lo', 'up');
        ip('-n', space, 'link', 'set', link, 'up');
      }
      return spaces;
    } catch {
      spaces.remove();
      return undefined;
    }
  }

  /** Both ends of the link down (cut) or up (healed). */
  link(state: 'up' | 'down'): void {
    execFileSync('ip', ['-n', this.names[0], 'link', 'set', this.links[0], state], { stdio: 'ignore' });
    execFileSync('ip', ['-n', this.names[1], 'link', 'set', this.links[1], state], { stdio: 'ignore' });
  }

  remove(): void {
    for (const name of this.names) {
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      } catch {
        // Not created, or already gone.
      }
    }
  }
}

export const longSplit: Benchmark = {
  name: 'long-split',
  seconds: 60,
  run: (progress) => {
    const splitS = splitSeconds();
    const spaces = Namespaces.create();
    const mode = spaces ? 'netns (veth down on both ends)' : 'SIGSTOP of side B';
    progress.begin('long-split', 3);
    const params = { sides: `${SIDE} + ${SIDE}`, splitS, mode, flags: `${FLAGS.join(' ')} (--reconnect-max 10 s, the default)` };
    return record('long-split', params, async () => {
      const nodes: SplitNode[] = [];
      const waiters = new Set<() => void>();
      const wake = (): void => {
        for (const check of [...waiters]) check();
      };
      const until = (what: string, condition: () => boolean): Promise<void> => new Promise((resolve, reject) => {
        const check = (): void => {
          if (!condition()) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`));
        }, TIMEOUT_MS);
        waiters.add(check);
        check();
      });
      const fullMesh = (): boolean => nodes.every((node) => nodes.every((other) => other === node || (other.id !== undefined && node.connected.has(other.id))));
      try {
        const ports = spaces ? Array.from({ length: 2 * SIDE }, (_, i) => 7000 + i) : await freePorts(2 * SIDE);
        for (let i = 0; i < 2 * SIDE; i += 1) {
          const side = i < SIDE ? 0 : 1;
          const host = spaces ? (spaces.hosts[side] as string) : '127.0.0.1';
          const seed = i === 0 ? [] : ['--connect', `${spaces ? spaces.hosts[0] : '127.0.0.1'}:${ports[0] as number}`];
          const argv = [BIN, '--output', 'json', '--host', host, '--port', String(ports[i]), '--log-level', 'warn', ...FLAGS, ...seed];
          const child = spaces ? spawnTracked('ip', ['netns', 'exec', spaces.names[side] as string, process.execPath, ...argv]) : spawnTracked(process.execPath, argv);
          nodes.push(new SplitNode(child, `${host}:${ports[i] as number}`, wake));
        }
        await until('a full mesh of 6', () => nodes.every((node) => node.id !== undefined) && fullMesh());
        progress.tick(`meshed; cut for ${splitS} s`);
        const sideA = nodes.slice(0, SIDE);
        const sideB = nodes.slice(SIDE);
        const cutAt = Date.now();
        if (spaces) spaces.link('down');
        else for (const node of sideB) node.signal('SIGSTOP');
        await until('side A reports side B dead', () => sideA.every((a) => sideB.every((b) => !a.connected.has(b.id as string))));
        await sleep(Math.max(0, splitS * 1000 - (Date.now() - cutAt)));
        const healedAt = Date.now();
        if (spaces) spaces.link('up');
        else for (const node of sideB) node.signal('SIGCONT');
        progress.tick('link back; waiting for one mesh');
        await until('one full mesh of 6 again', fullMesh);
        const stamps = nodes.flatMap((node) => node.events.filter((e) => e.event === 'peer_connected' && eventTime(e) >= healedAt - 5).map(eventTime));
        const meshedAt = Math.max(...stamps);
        progress.tick('healed');
        return { summary: { healMs: meshedAt - healedAt, splitMs: healedAt - cutAt, reconnections: stamps.length } };
      } finally {
        for (const node of nodes) node.signal('SIGKILL');
        spaces?.remove();
      }
    });
  },
  rows: (result) => {
    const failed = failedRow('long-split', result);
    if (failed) return failed;
    const summary = result.summary as { healMs: number; splitMs: number };
    const mode = String((result.params as { mode: string }).mode);
    return [{ benchmark: 'long-split', measure: `3+3 cut ${(summary.splitMs / 1000).toFixed(0)} s (${mode}), --reconnect-max 10 s: link back → one mesh`, result: show(summary.healMs, 'ms', 0), goal: `≤ ${GOAL_MS} ms`, met: summary.healMs <= GOAL_MS }];
  },
};
