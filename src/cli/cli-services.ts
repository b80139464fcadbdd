import type { NodeConfig } from '../main/config';
import type { NodeIo, RunningNode } from '../main/start-node';
import type { Identity } from '../domain/identity';

/** What the CLI writes to: process.stdout and process.stderr, or buffers in tests. */
export interface TextSink {
  write(text: string): unknown;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export type { NodeIo, RunningNode } from '../main/start-node';

/** The work behind the commands; tests pass fakes, `loadServices` the real thing. */
export interface CliServices {
  startNode(config: NodeConfig, io: NodeIo): Promise<RunningNode>;
  writeKeyPairFiles(keyPath: string, certPath: string): Promise<Identity>;
  generateNetworkKeyFile(path: string): Promise<void>;
  identityOfCertificatePem(pem: string): Identity;
  /** A client subcommand (members, broadcast, tags, leave, monitor) against a node's admin API. */
  adminCommand(...args: Parameters<typeof import('../main/admin-commands').runAdminCommand>): Promise<void>;
}

/*
 * The modules are required on first use, not imported, so that `--help`, a
 * usage error or `id` do not pay for loading inversify and zod. Each path is
 * a literal, so that the bundle of the launcher (scripts/bundle-cli.ts)
 * contains the module and still loads it late. (A dynamic import() would not
 * resolve extensionless paths in compiled CommonJS.)
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loading late is the point */
const startNodeModule = (): typeof import('../main/start-node') => require('../main/start-node') as typeof import('../main/start-node');
const keyCommandsModule = (): typeof import('../main/key-commands') => require('../main/key-commands') as typeof import('../main/key-commands');
const adminCommandsModule = (): typeof import('../main/admin-commands') => require('../main/admin-commands') as typeof import('../main/admin-commands');
/* eslint-enable @typescript-eslint/no-require-imports */

export const loadServices: CliServices = {
  startNode: (config, io) => startNodeModule().startNode(config, io),
  writeKeyPairFiles: (keyPath, certPath) => keyCommandsModule().writeKeyPairFiles(keyPath, certPath),
  generateNetworkKeyFile: (path) => keyCommandsModule().generateNetworkKeyFile(path),
  identityOfCertificatePem: (pem) => keyCommandsModule().identityOfCertificatePem(pem),
  adminCommand: (...args) => adminCommandsModule().runAdminCommand(...args),
};
