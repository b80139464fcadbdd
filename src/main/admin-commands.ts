import { AdminClient } from '../adapters/admin/admin-client';
import { JsonOutput } from '../adapters/output/json-output';
import { TextOutput, tagList } from '../adapters/output/text-output';
import type { TextSink } from '../adapters/output/text-sink';
import type { MembersSnapshot, MemberView } from '../application/node-admin';
import { ConfigurationError } from '../application/configuration.error';
import type { NodeEvent } from '../domain/events';
import { shortIdentity } from '../domain/identity';
import type { Tags } from '../domain/tags';
import { readAdminToken } from './admin-token';

/** What the client subcommands ask (see src/cli/admin-command-line.ts). */
export type AdminCommand =
  | { readonly kind: 'members'; readonly output: 'text' | 'json'; readonly state?: string; readonly tags: Tags }
  | { readonly kind: 'broadcast'; readonly message: string }
  | { readonly kind: 'tags'; readonly set: Tags; readonly remove: readonly string[] }
  | { readonly kind: 'leave' }
  | { readonly kind: 'monitor'; readonly output: 'text' | 'json' };

export interface AdminTarget {
  readonly address: string;
  readonly tokenFile?: string;
}

/**
 * Runs one client subcommand against a node's admin API. Rejects with an
 * AdminUnreachableError or AdminResponseError (exit 1) or a ConfigurationError (exit 2).
 */
export async function runAdminCommand(command: AdminCommand, target: AdminTarget, stdout: TextSink, signal?: AbortSignal): Promise<void> {
  if (!/^(\[[^\]]+\]|[^:[\]]+):\d{1,5}$/.test(target.address)) {
    throw new ConfigurationError(`--admin: must be host:port (got ${JSON.stringify(target.address)})`);
  }
  const client = new AdminClient(target.address, target.tokenFile === undefined ? undefined : readAdminToken(target.tokenFile));
  switch (command.kind) {
    case 'members': {
      const view = await client.json<MembersSnapshot>('GET', '/v1/members');
      const members = view.members.filter(
        (member) => (command.state === undefined || member.state === command.state) && Object.entries(command.tags).every(([key, value]) => member.tags[key] === value),
      );
      stdout.write(command.output === 'json' ? `${JSON.stringify({ ...view, members })}\n` : membersTable(members));
      return;
    }
    case 'broadcast': {
      const { peers } = await client.json<{ peers: number }>('POST', '/v1/broadcast', { message: command.message });
      stdout.write(`sent to ${peers} ${peers === 1 ? 'peer' : 'peers'}\n`);
      return;
    }
    case 'tags': {
      const { self } = await client.json<MembersSnapshot>('GET', '/v1/members');
      const tags: Record<string, string> = { ...self.tags, ...command.set };
      for (const key of command.remove) delete tags[key];
      const result = await client.json<{ tags: Tags }>('PUT', '/v1/tags', { tags });
      stdout.write(`tags: ${Object.keys(result.tags).length === 0 ? 'none' : tagList(result.tags)}\n`);
      return;
    }
    case 'leave':
      await client.json('POST', '/v1/leave');
      stdout.write(`${target.address}: leaving\n`);
      return;
    case 'monitor': {
      const output = command.output === 'json' ? new JsonOutput(stdout) : new TextOutput(stdout);
      await client.events((record) => {
        const { ts, ...event } = record;
        output.emit(event as unknown as NodeEvent, new Date(String(ts)));
      }, signal ?? new AbortController().signal);
      return;
    }
  }
}

/** Like `serf members`: one row per member, columns aligned. */
function membersTable(members: readonly MemberView[]): string {
  const rows = [
    ['ID', 'ADDRESS', 'STATE', 'RTT', 'TAGS'],
    ...members.map((member) => [shortIdentity(member.id), member.address, member.state, member.rttMs === null ? '-' : `${member.rttMs.toFixed(1)}ms`, tagList(member.tags)]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd()}\n`).join('');
}
