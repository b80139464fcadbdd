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
 * usage error or `id` do not pay for loading inversify and @peculiar/x509.
 * (A dynamic import() would not resolve extensionless paths in compiled CommonJS.)
 */
function onFirstUse<Module>(path: string): () => Module {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading late is the point
  return () => require(path) as Module;
}

const startNodeModule = onFirstUse<typeof import('../main/start-node')>('../main/start-node');
const keyCommandsModule = onFirstUse<typeof import('../main/key-commands')>('../main/key-commands');
const adminCommandsModule = onFirstUse<typeof import('../main/admin-commands')>('../main/admin-commands');

export const loadServices: CliServices = {
  startNode: (config, io) => startNodeModule().startNode(config, io),
  writeKeyPairFiles: (keyPath, certPath) => keyCommandsModule().writeKeyPairFiles(keyPath, certPath),
  generateNetworkKeyFile: (path) => keyCommandsModule().generateNetworkKeyFile(path),
  identityOfCertificatePem: (pem) => keyCommandsModule().identityOfCertificatePem(pem),
  adminCommand: (...args) => adminCommandsModule().runAdminCommand(...args),
};
