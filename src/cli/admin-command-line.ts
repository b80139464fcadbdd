import type { Command } from 'commander';
import { ConfigurationError } from '../application/configuration.error';
import { parseTagAssignment, tagsProblem } from '../domain/tags';
import type { AdminCommand } from '../main/admin-commands';

/** What a client subcommand asks of a running node's admin API. */
export type AdminRequest = AdminCommand;

export interface AdminCommandLine {
  readonly command: 'admin';
  readonly request: AdminRequest;
  /** `--admin` or P2P_GOSSIP_ADMIN: where the node serves its admin API. */
  readonly admin?: string;
  readonly adminToken?: string;
}

export const ADMIN_ENV = 'P2P_GOSSIP_ADMIN';

const MEMBER_STATES = ['connected', 'disconnected', 'dead', 'left'];

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

function output(flag: unknown): 'text' | 'json' {
  if (flag === undefined || flag === 'text' || flag === 'json') return flag ?? 'text';
  throw new ConfigurationError(`--output: must be text or json (got ${JSON.stringify(flag)})`);
}

function assignments(flag: string, values: readonly string[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const text of values ?? []) {
    const entry = parseTagAssignment(text);
    if (entry === undefined) throw new ConfigurationError(`${flag}: must be KEY=VALUE (got ${JSON.stringify(text)})`);
    tags[entry.key] = entry.value;
  }
  const problem = tagsProblem(tags);
  if (problem !== undefined) throw new ConfigurationError(`${flag}: ${problem}`);
  return tags;
}

interface ConnectionFlags {
  admin?: string;
  adminToken?: string;
}

/** Adds `members`, `broadcast`, `tags`, `leave` and `monitor`; `select` receives what was asked. */
export function addAdminCommands(program: Command, select: (commandLine: AdminCommandLine) => void, refuseNodeOptions: (command: string) => void): void {
  const client = (name: string, description: string): Command =>
    program
      .command(name)
      .description(description)
      .option('--admin <HOST:PORT>', `the node's admin API (default: env ${ADMIN_ENV})`)
      .option('--admin-token <PATH>', 'file holding the bearer token, for a node started with --admin-token');
  const chosen = (name: string, flags: ConnectionFlags, request: AdminRequest): void => {
    refuseNodeOptions(name);
    select({
      command: 'admin',
      request,
      ...(flags.admin === undefined ? {} : { admin: flags.admin }),
      ...(flags.adminToken === undefined ? {} : { adminToken: flags.adminToken }),
    });
  };

  client('members', 'list the members of a running node (like serf members)')
    .option('--output <FORMAT>', 'text (a table) or json (as GET /v1/members)')
    .option('--state <S>', `only members in this state: ${MEMBER_STATES.join(', ')}`)
    .option('--tag <KEY=VALUE>', 'only members with this tag; may be repeated', collect)
    .action((flags: ConnectionFlags & { output?: string; state?: string; tag?: string[] }) => {
      if (flags.state !== undefined && !MEMBER_STATES.includes(flags.state)) {
        throw new ConfigurationError(`--state: must be one of ${MEMBER_STATES.join(', ')} (got ${JSON.stringify(flags.state)})`);
      }
      const request = { kind: 'members', output: output(flags.output), tags: assignments('--tag', flags.tag), ...(flags.state === undefined ? {} : { state: flags.state }) } as const;
      chosen('members', flags, request);
    });

  client('broadcast', 'send MESSAGE as a ping to every peer of a running node')
    .argument('<MESSAGE>', 'the text peers show in ping_received')
    .action((message: string, flags: ConnectionFlags) => chosen('broadcast', flags, { kind: 'broadcast', message }));

  client('tags', "change a running node's tags; its peers see them")
    .option('--set <KEY=VALUE>', 'add or change a tag; may be repeated', collect)
    .option('--delete <KEY>', 'remove a tag; may be repeated', collect)
    .action((flags: ConnectionFlags & { set?: string[]; delete?: string[] }) => {
      if (flags.set === undefined && flags.delete === undefined) throw new ConfigurationError('tags: give --set KEY=VALUE or --delete KEY');
      chosen('tags', flags, { kind: 'tags', set: assignments('--set', flags.set), remove: flags.delete ?? [] });
    });

  client('leave', 'make a running node say goodbye to its peers and stop (exit 0)').action((flags: ConnectionFlags) =>
    chosen('leave', flags, { kind: 'leave' }),
  );

  client('monitor', "print a running node's events as they happen, until interrupted")
    .option('--output <FORMAT>', "text or json, as the node's own --output")
    .action((flags: ConnectionFlags & { output?: string }) => chosen('monitor', flags, { kind: 'monitor', output: output(flags.output) }));
}
