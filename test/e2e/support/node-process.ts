import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../../bench/lib/free-port';
import { after, afterEach } from 'node:test';
import { createInterface } from 'node:readline';

export const BIN = join(__dirname, '..', '..', '..', 'bin', 'p2p-gossip');

/** One NDJSON event of the contract, as printed on stdout. */
export interface JsonEvent {
  readonly ts: string;
  readonly event: string;
  readonly [field: string]: unknown;
}

export type EventMatch = (event: JsonEvent) => boolean;

/** Fast rounds so that tests take seconds: pings every 0.2 s, dead after 1.5 s. */
export const FAST = ['--period', '0.2', '--heartbeat-interval', '0.25', '--dead-after', '1.5', '--reconnect-max', '1'];

/** Longer than a peer takes to be established under FAST: max(period 0.2 s, 3 heartbeats of 0.25 s) = 0.75 s. */
export const ESTABLISH_MS = 1_000;

export { freePorts } from '../../../bench/lib/free-port';

/** One port nothing listens on now; for several at once, use freePorts (they are then distinct). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/**
 * A real `p2p-gossip` process with `--output json`: its events are parsed as
 * they arrive and can be awaited with a deadline.
 */
export class NodeProcess {
  readonly events: JsonEvent[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();

  constructor(readonly name: string, args: readonly string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(BIN, ['--output', 'json', '--host', '127.0.0.1', ...args], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      this.events.push(JSON.parse(line) as JsonEvent);
      for (const wake of this.waiters) wake();
    });
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.stderr.push(line);
      for (const wake of this.waiters) wake();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The first event (already seen or still to come) that matches, or a failure naming what was awaited. */
  async waitFor(what: string, match: EventMatch, timeoutMs = 10_000): Promise<JsonEvent> {
    await this.until(what, () => this.events.some(match), timeoutMs);
    return this.events.find(match) as JsonEvent;
  }

  /** Resolves once `condition` holds, re-checked on every line of output; fails after the deadline. */
  async until(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (condition()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what}\nlast events: ${JSON.stringify(this.events.slice(-5))}\nstderr: ${this.stderr.slice(-5).join('\n')}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      void this.exited.then(() => check());
    });
  }

  async listening(timeoutMs = 10_000): Promise<{ id: string; address: string }> {
    const event = await this.waitFor('listening', (e) => e.event === 'listening', timeoutMs);
    return { id: event.id as string, address: event.address as string };
  }

  /** Identities this node currently counts as connected, from its own events. */
  connectedPeers(): Set<string> {
    const peers = new Set<string>();
    for (const event of this.events) {
      if (event.event === 'peer_connected') peers.add(event.peer as string);
      if (event.event === 'peer_disconnected') peers.delete(event.peer as string);
    }
    return peers;
  }

  async connectedTo(ids: readonly string[], timeoutMs = 15_000): Promise<void> {
    await this.until(`connections to ${ids.length} peers`, () => {
      const peers = this.connectedPeers();
      return ids.every((id) => peers.has(id));
    }, timeoutMs);
  }

  /**
   * Resolves once `id` has been connected for `ms` by this node's own event
   * stamps (FAST pings keep events coming): past `establishMs`, a peer is
   * established (pinned, passed on, redialled long; see the README).
   */
  async connectedFor(id: string, ms = ESTABLISH_MS, timeoutMs = 15_000): Promise<void> {
    await this.until(`${id.slice(0, 12)} connected for ${ms} ms`, () => {
      const since = this.events.findLast((e) => e.event === 'peer_connected' && e.peer === id);
      const last = this.events[this.events.length - 1];
      return since !== undefined && last !== undefined && this.connectedPeers().has(id) && Date.parse(last.ts) - Date.parse(since.ts) >= ms;
    }, timeoutMs);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.signal(signal);
    return this.exited;
  }
}

/** Every process a test starts, so that all of them are killed at its end, whatever happened. */
export class ProcessGroup {
  private processes: NodeProcess[] = [];

  start(name: string, args: readonly string[], env?: NodeJS.ProcessEnv): NodeProcess {
    const node = new NodeProcess(name, args, env);
    this.processes.push(node);
    return node;
  }

  /** Kills every process started so far; the group can then be used again. */
  async killAll(): Promise<void> {
    const started = this.processes;
    this.processes = [];
    await Promise.all(started.map((node) => node.stop('SIGKILL')));
  }
}

/** A group whose processes are killed after each test of the file. */
export function processesPerTest(): ProcessGroup {
  const group = new ProcessGroup();
  afterEach(() => group.killAll());
  return group;
}

/** A temporary directory for the file's tests, removed after them. */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `p2p-gossip-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
