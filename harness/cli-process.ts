import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePorts } from './free-port';
import { killProcesses, spawnTracked } from './processes';
import { repoRoot } from './repo-root';

/**
 * Real `p2p-gossip` processes for the end-to-end tests and the benchmarks:
 * spawned with `--output json --host 127.0.0.1` in a process group of their
 * own, their NDJSON events parsed as they arrive, the peers each one counts
 * as connected, and waits for a condition with a deadline (never a sleep).
 */

export const BIN = join(repoRoot(), 'bin', 'p2p-gossip');

/** One NDJSON event of the contract, as printed on stdout. */
export interface JsonEvent {
  readonly ts: string;
  readonly event: string;
  readonly peer?: string;
  readonly [field: string]: unknown;
}

export type EventMatch = (event: JsonEvent) => boolean;

/** When the node stamped an event (ms since the epoch). */
export function eventTime(event: JsonEvent): number {
  return Date.parse(event.ts);
}

export interface CliProcessOptions {
  /** Added to this process's environment; LOG_LEVEL is `warn` unless given. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Keep ping_sent and ping_received in `events` (default true); they are
   * counted in `pings` either way. Long benchmarks leave them out.
   */
  readonly keepPings?: boolean;
}

const PINGS = new Set(['ping_sent', 'ping_received']);

/**
 * Resolves once `condition()` holds, re-checked whenever `subscribe`'s
 * callback runs; fails after the deadline, or as soon as `hopeless()` says
 * it can no longer hold, with `explain()`.
 */
function waitUntil(
  subscribe: (wake: () => void) => () => void,
  condition: () => boolean,
  timeoutMs: number,
  explain: (why: string) => string,
  hopeless: () => string | undefined = () => undefined,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribe = subscribe(() => {
      const done = condition();
      const gone = done ? undefined : hopeless();
      if (!done && gone === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      if (done) resolve();
      else reject(new Error(explain(gone as string)));
    });
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(explain(`timed out after ${timeoutMs} ms`)));
    }, timeoutMs);
  });
}

/** A `p2p-gossip --output json` process on 127.0.0.1. */
export class CliProcess {
  readonly events: JsonEvent[] = [];
  readonly stderr: string[] = [];
  /** The identities this node counts as connected: peer_connected minus peer_disconnected, from its own events. */
  readonly connected = new Set<string>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly child: ChildProcess;
  /** ping_sent and ping_received events seen. */
  pings = 0;
  /** From the `listening` event. */
  id: string | undefined;
  address: string | undefined;
  listeningAt: number | undefined;
  /** Set once the process has exited and its stdout and stderr are read to the end: no more output can come. */
  private finished: string | undefined;
  private readonly watchers = new Set<() => void>();

  constructor(readonly name: string, args: readonly string[], options: CliProcessOptions = {}) {
    const keepPings = options.keepPings ?? true;
    this.child = spawnTracked(process.execPath, [BIN, '--output', 'json', '--host', '127.0.0.1', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.once('close', (code, signal) => {
      this.finished = `exited (${code ?? signal})`;
      this.wake();
    });
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const event = JSON.parse(line) as JsonEvent;
      if (PINGS.has(event.event)) {
        this.pings += 1;
        if (!keepPings) return;
      }
      this.events.push(event);
      if (event.event === 'listening') {
        this.id = event['id'] as string;
        this.address = event['address'] as string;
        this.listeningAt = eventTime(event);
      } else if (event.event === 'peer_connected' && event.peer !== undefined) this.connected.add(event.peer);
      else if (event.event === 'peer_disconnected' && event.peer !== undefined) this.connected.delete(event.peer);
      this.wake();
    });
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.stderr.push(line);
      this.wake();
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Calls `wake` on every event, stderr line and the exit; returns the unsubscribe. */
  watch(wake: () => void): () => void {
    this.watchers.add(wake);
    return () => this.watchers.delete(wake);
  }

  /** The first event (already seen or still to come) that matches, or a failure naming what was awaited. */
  async waitFor(what: string, match: EventMatch, timeoutMs = 10_000): Promise<JsonEvent> {
    await this.until(what, () => this.events.some(match), timeoutMs);
    return this.events.find(match) as JsonEvent;
  }

  /**
   * Resolves once `condition` holds, re-checked on every line of output;
   * fails after the deadline, or at once if the process has exited (and all
   * its output is read) without it holding.
   */
  until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    return waitUntil(
      (wake) => this.watch(wake),
      condition,
      timeoutMs,
      (why) => `${this.name}: ${why} waiting for ${what}\nlast events: ${JSON.stringify(this.events.slice(-5))}\nstderr: ${this.stderr.slice(-5).join('\n')}`,
      () => this.finished,
    );
  }

  async listening(timeoutMs = 10_000): Promise<{ id: string; address: string }> {
    const event = await this.waitFor('listening', (e) => e.event === 'listening', timeoutMs);
    return { id: event['id'] as string, address: event['address'] as string };
  }

  /** Identities this node currently counts as connected, from its own events (a copy). */
  connectedPeers(): Set<string> {
    return new Set(this.connected);
  }

  async connectedTo(ids: readonly string[], timeoutMs = 15_000): Promise<void> {
    await this.until(`connections to ${ids.length} peers`, () => ids.every((id) => this.connected.has(id)), timeoutMs);
  }

  /** Resolves once `id` has been connected for `ms` without a break, as this node's own event times tell. */
  async connectedFor(id: string, ms: number, timeoutMs = 15_000): Promise<void> {
    await this.until(`${id.slice(0, 12)} connected for ${ms} ms`, () => {
      const since = this.events.findLast((e) => e.event === 'peer_connected' && e.peer === id);
      const last = this.events[this.events.length - 1];
      return since !== undefined && last !== undefined && this.connectedPeers().has(id) && eventTime(last) - eventTime(since) >= ms;
    }, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal(signal);
    return this.exited;
  }

  private wake(): void {
    for (const wake of [...this.watchers]) wake();
  }
}

/** CLI processes started together: waits over all of them, and one clean-up that kills every one. */
export class CliGroup {
  private started: CliProcess[] = [];

  /** The processes started since the last `killAll`. */
  get nodes(): readonly CliProcess[] {
    return this.started;
  }

  start(name: string, args: readonly string[], options?: CliProcessOptions): CliProcess {
    const node = new CliProcess(name, args, options);
    this.started.push(node);
    return node;
  }

  /** `count` nodes on free ports, started at once, node i joining through node i-1 (node 0 through `via`, if given). */
  async startChain(count: number, args: readonly string[], options: CliProcessOptions & { readonly prefix?: string; readonly via?: string } = {}): Promise<CliProcess[]> {
    const ports = await freePorts(count);
    return ports.map((port, index) => {
      const join = index > 0 ? `127.0.0.1:${ports[index - 1]}` : options.via;
      return this.start(`${options.prefix ?? 'n'}${index}`, ['--port', String(port), ...args, ...(join === undefined ? [] : ['--connect', join])], options);
    });
  }

  /** Resolves once `condition()` holds (checked on every event of any node); rejects after `timeoutMs`, naming the nodes that died. */
  until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    const nodes = this.started;
    return waitUntil(
      (wake) => {
        const unsubscribes = nodes.map((node) => node.watch(wake));
        return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
      },
      condition,
      timeoutMs,
      (why) => {
        const died = nodes.filter((node) => !node.running);
        const which = died.map((node) => `${node.name} exited ${node.child.exitCode ?? node.child.signalCode}: ${node.stderr.slice(-5).join(' | ')}`).join('; ');
        return `${why} waiting for ${what}${which ? ` (${which})` : ''}`;
      },
    );
  }

  /** Every node in `nodes` is connected to every other one of them (by its own events). */
  fullMesh(nodes: readonly CliProcess[] = this.started): boolean {
    return nodes.every((node) => nodes.every((other) => other === node || (other.id !== undefined && node.connected.has(other.id))));
  }

  /** SIGKILLs every process started so far and waits for their exits; the group can then be used again. */
  async killAll(): Promise<void> {
    const started = this.started;
    this.started = [];
    killProcesses(started.map((node) => node.child));
    await Promise.all(started.map((node) => node.exited));
  }
}
