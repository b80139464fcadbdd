import { type CliGroup, type CliProcess, FAST, freePort } from './node-process';

/** A node started with `--admin 127.0.0.1:0`: its peer address, identity and admin API base URL. */
export interface AdminNode {
  readonly process: CliProcess;
  readonly id: string;
  readonly peerAddress: string;
  readonly admin: string;
  readonly url: string;
}

export async function startAdminNode(group: CliGroup, name: string, args: readonly string[] = []): Promise<AdminNode> {
  const port = await freePort();
  const process = group.start(name, [...FAST, '--port', String(port), '--admin', '127.0.0.1:0', ...args]);
  const listening = await process.waitFor('listening', (e) => e.event === 'listening');
  const admin = String(listening['admin']);
  return { process, id: String(listening['id']), peerAddress: `127.0.0.1:${port}`, admin, url: `http://${admin}` };
}

/** Re-checks `probe` (each check a real request) until it returns a value, or fails after the deadline. */
export async function eventually<Value>(what: string, probe: () => Promise<Value | undefined>, timeoutMs = 15_000): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last === undefined ? '' : `: ${String(last)}`}`);
}

export interface Member {
  id: string;
  address: string;
  state: string;
  lastSeen: string;
  rttMs: number | null;
  tags: Record<string, string>;
}

export interface MembersView {
  self: { id: string; address: string; tags: Record<string, string> };
  members: Member[];
}

export async function members(node: AdminNode): Promise<MembersView> {
  const response = await fetch(`${node.url}/v1/members`);
  return (await response.json()) as MembersView;
}
