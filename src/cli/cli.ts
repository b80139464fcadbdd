import { ConfigurationError, FileFailure } from '../application/configuration.error';
import { ADMIN_ENV } from './admin-command-line';
import { type CliServices, type Environment, loadServices, type RunningNode, type TextSink } from './cli-services';
import { parseCommandLine } from './command-line';
import { readConfigFile } from './config-file';
import { printIdentity } from './id-command';
import { keygen } from './keygen-command';
import { nodeConfigFromSources } from './node-config-from-sources';
import { flagOf } from './node-options';
import { packageVersion } from './package-version';

export interface CliIo {
  /** The arguments after the program name. */
  readonly argv: readonly string[];
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Environment;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * The command line, without `process`: reads the arguments, runs a command
 * and resolves with the exit code. Never rejects; every failure is one line
 * on stderr.
 */
export class Cli {
  private running: RunningNode | undefined;

  constructor(
    private readonly io: CliIo,
    private readonly services: CliServices = loadServices,
  ) {}

  /** Aborting `signal` (SIGINT, SIGTERM) stops a running node gracefully: exit 0. */
  async run(signal?: AbortSignal): Promise<number> {
    try {
      const commandLine = parseCommandLine(this.io.argv, this.io, packageVersion());
      switch (commandLine.command) {
        case 'done':
          return EXIT_OK;
        case 'keygen':
          await keygen(commandLine, this.services, this.io.stdout);
          return EXIT_OK;
        case 'id':
          await printIdentity(commandLine.cert, this.services, this.io.stdout);
          return EXIT_OK;
        case 'admin': {
          const address = commandLine.admin ?? this.io.env[ADMIN_ENV];
          if (address === undefined || address === '') throw new ConfigurationError(`--admin: required: the node's admin API as HOST:PORT (or set ${ADMIN_ENV})`);
          const target = { address, ...(commandLine.adminToken === undefined ? {} : { tokenFile: commandLine.adminToken }) };
          await this.services.adminCommand(commandLine.request, target, this.io.stdout, signal);
          return EXIT_OK;
        }
        case 'node': {
          const file =
            commandLine.configFile === undefined
              ? undefined
              : { path: commandLine.configFile, values: await readConfigFile(commandLine.configFile) };
          const config = nodeConfigFromSources({ flags: commandLine.flags, env: this.io.env, ...(file ? { file } : {}) });
          if (signal?.aborted) return EXIT_OK;
          const { stdout, stderr, env } = this.io;
          this.running = await this.services.startNode(config, { stdout, stderr, env });
          return await runUntilStopped(this.running, signal);
        }
      }
    } catch (error) {
      return this.fail(error);
    }
  }

  /**
   * The last line of defence, for an error nothing caught (an uncaught
   * exception, an unhandled rejection): one line, exit 1. The stack goes to
   * the node's log at `debug`, never to the user.
   */
  crashed(error: unknown): number {
    this.running?.logger?.debug({ err: error }, 'unexpected error');
    this.fail(error);
    return EXIT_FAILURE;
  }

  private fail(error: unknown): number {
    // A file named by an option is named by its flag here: `--key /x: cannot read: …`.
    const message = error instanceof ConfigurationError || error instanceof FileFailure ? error.describe(flagOf) : error instanceof Error ? error.message : String(error);
    // One line, whatever the message: commander's suggestions and node:net's details span several.
    this.io.stderr.write(`p2p-gossip: ${message.trim().split(/\s*\n\s*/).join(' ')}\n`);
    return error instanceof ConfigurationError ? EXIT_USAGE : EXIT_FAILURE;
  }
}

async function runUntilStopped(node: RunningNode, signal: AbortSignal | undefined): Promise<number> {
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    if (signal?.aborted) return resolve('aborted');
    onAbort = () => resolve('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const left = node.leaveRequested ?? new Promise<never>(() => undefined);
    await Promise.race([aborted, left]);
    await node.stop();
    return EXIT_OK;
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
