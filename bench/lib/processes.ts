import { type ChildProcess, fork, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePorts } from './free-port';
import { repoRoot } from './results';

/**
 * Every process a benchmark starts is registered here and SIGKILLed (its
 * whole process group) when the benchmark ends, when the runner exits for
 * any reason, and on Ctrl-C. Children run in their own process group
 * (detached), so a Ctrl-C reaches the runner only, which then kills them.
 */
const live = new Set<ChildProcess>();
let handlersInstalled = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

export function killAllProcesses(): void {
  for (const child of live) killGroup(child);
  live.clear();
}

function register(child: ChildProcess): ChildProcess {
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on('exit', killAllProcesses);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        killAllProcesses();
        process.stderr.write(`\nbench: ${signal}: killed every process it started\n`);
        process.exit(130);
      });
    }
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Runs a compiled script (with IPC) in its own process group; killed with the others. */
export function forkTracked(script: string, args: readonly string[], execArgv: readonly string[] = []): ChildProcess {
  return register(fork(script, args, { execArgv: [...execArgv], detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] }));
}

/** Runs a command (stdout and stderr piped) in its own process group; killed with the others. */
export function spawnTracked(command: string, args: readonly string[]): ChildProcess {
  return register(spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Resolves with the exit code (or the signal's name) of a tracked child. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  if (child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

/** `count` processes spinning `for(;;){}`: load for every core. Stop them with `killHog`. */
export function startCpuHog(count: number): ChildProcess[] {
  return Array.from({ length: count }, () =>
    register(spawn(process.execPath, ['-e', 'for(;;){}'], { detached: true, stdio: 'ignore' })));
}

export function killProcesses(children: readonly ChildProcess[]): void {
  for (const child of children) killGroup(child);
}

/** One NDJSON line of the CLI's `--output json`. */
export interface JsonEvent {
  readonly ts: string;
  readonly event: string;
  readonly peer?: string;
  readonly [field: string]: unknown;
}

/** When the node stamped an event (ms since the epoch). */
export function eventTime(event: JsonEvent): number {
  return Date.parse(event.ts);
}

const BIN = join(repoRoot(), 'bin', 'p2p-gossip');
const NOISE = new Set(['ping_sent', 'ping_received']);

/**
 * A `p2p-gossip --output json` process on 127.0.0.1. Keeps its membership
 * events (pings are only counted) and the set of peers it counts as
 * connected (peer_connected minus peer_disconnected).
 */
export class CliNode {
  readonly events: JsonEvent[] = [];
  readonly connected = new Set<string>();
  readonly stderrTail: string[] = [];
  readonly child: ChildProcess;
  pings = 0;
  id: string | undefined;
  listeningAt: number | undefined;

  constructor(readonly name: string, readonly port: number, args: readonly string[], onEvent: (node: CliNode, event: JsonEvent) => void) {
    const argv = [BIN, '--output', 'json', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn', ...args];
    this.child = register(spawn(process.execPath, argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
    createInterface({ input: this.child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let event: JsonEvent;
      try {
        event = JSON.parse(line) as JsonEvent;
      } catch {
        return;
      }
      if (NOISE.has(event.event)) {
        this.pings += 1;
        return;
      }
      this.events.push(event);
      if (event.event === 'listening') {
        this.id = event['id'] as string;
        this.listeningAt = eventTime(event);
      } else if (event.event === 'peer_connected' && event.peer) this.connected.add(event.peer);
      else if (event.event === 'peer_disconnected' && event.peer) this.connected.delete(event.peer);
      onEvent(this, event);
    });
    createInterface({ input: this.child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > 5) this.stderrTail.shift();
    });
    this.child.once('exit', () => onEvent(this, { ts: new Date().toISOString(), event: 'exit' }));
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, signal);
  }
}

/** CLI nodes started together; `until` waits, with a deadline, for a condition over all of them. */
export class CliGroup {
  readonly nodes: CliNode[] = [];
  private readonly waiters = new Set<() => void>();

  start(name: string, port: number, args: readonly string[]): CliNode {
    const node = new CliNode(name, port, args, () => this.wake());
    this.nodes.push(node);
    return node;
  }

  /** `count` nodes on free ports, started at once, node i joining through node i-1 (node 0 through `via`, if given). */
  async startChain(count: number, args: readonly string[], prefix = 'n', via?: CliNode): Promise<CliNode[]> {
    const ports = await freePorts(count);
    return ports.map((port, index) => {
      const join = index > 0 ? `127.0.0.1:${ports[index - 1]}` : via?.address;
      return this.start(`${prefix}${index}`, port, [...args, ...(join === undefined ? [] : ['--connect', join])]);
    });
  }

  /** Resolves once `condition()` holds (checked on every event); rejects after `timeoutMs`. */
  until(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const died = this.nodes.filter((node) => node.child.exitCode !== null);
        const why = died.map((node) => `${node.name} exited ${node.child.exitCode}: ${node.stderrTail.join(' | ')}`).join('; ');
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why ? ` (${why})` : ''}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Every node in `nodes` is connected to every other one of them (by its own events). */
  fullMesh(nodes: readonly CliNode[] = this.nodes): boolean {
    return nodes.every((node) => nodes.every((other) => other === node || (other.id !== undefined && node.connected.has(other.id))));
  }

  killAll(): void {
    killProcesses(this.nodes.map((node) => node.child));
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }
}
