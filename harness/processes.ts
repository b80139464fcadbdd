import { type ChildProcess, fork, spawn, type SpawnOptions } from 'node:child_process';

/**
 * Every process a test or a benchmark starts is registered here and
 * SIGKILLed (its whole process group) when the caller says so
 * (`killAllProcesses`, `killProcesses`), when this process exits for any
 * reason, and on Ctrl-C. Children run in their own process group
 * (detached), so a Ctrl-C reaches this process only, which then kills them.
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

export function register(child: ChildProcess): ChildProcess {
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on('exit', killAllProcesses);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(signal, () => {
        killAllProcesses();
        process.stderr.write(`\n${signal}: killed every process started here\n`);
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
export function spawnTracked(command: string, args: readonly string[], options: Pick<SpawnOptions, 'env'> = {}): ChildProcess {
  return register(spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }));
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
