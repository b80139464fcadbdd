import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach } from 'node:test';
import { CliGroup } from '../../../harness/cli-process';
import { freePorts } from '../../../harness/free-port';

/** The CLI process harness, shared with the benchmarks; what follows is for tests only. */
export { BIN, CliGroup, CliProcess, type EventMatch, type JsonEvent } from '../../../harness/cli-process';
export { freePorts } from '../../../harness/free-port';

/** Fast rounds so that tests take seconds: pings every 0.2 s, dead after 1.5 s. */
export const FAST = ['--period', '0.2', '--heartbeat-interval', '0.25', '--dead-after', '1.5', '--reconnect-max', '1'];

/** Longer than a peer takes to be established under FAST: max(period 0.2 s, 3 heartbeats of 0.25 s) = 0.75 s. */
export const ESTABLISH_MS = 1_000;

/** Whether the data dir's peers.json pins `id`: a peer is pinned once established (connected max(period, 3 heartbeats)). */
export function pins(dataDir: string, id: string): boolean {
  try {
    return readFileSync(join(dataDir, 'peers.json'), 'utf8').includes(id);
  } catch {
    return false;
  }
}

/** One port nothing listens on now; for several at once, use freePorts (they are then distinct). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port as number;
}

/** A group whose processes are killed after each test of the file. */
export function processesPerTest(): CliGroup {
  const group = new CliGroup();
  afterEach(() => group.killAll());
  return group;
}

/** A temporary directory for the file's tests, removed after them. */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `p2p-gossip-${prefix}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
