import { Cli } from '../../src/cli/cli';
import type { CliServices, NodeIo, RunningNode } from '../../src/cli/cli-services';
import type { Identity } from '../../src/domain/identity';
import type { NodeConfig } from '../../src/main/config';
import { BufferSink } from '../support/buffer-sink';

/** A node that runs until stopped, or until the test asks it to leave (as `POST /v1/leave` does). */
export class FakeNode implements RunningNode {
  stops = 0;
  readonly leaveRequested: Promise<void>;
  requestLeave!: () => void;

  constructor() {
    this.leaveRequested = new Promise((resolve) => {
      this.requestLeave = resolve;
    });
  }

  async stop(): Promise<void> {
    this.stops += 1;
  }
}

/** Records what the CLI asked for; fails the test if a command it did not expect is used. */
export class FakeServices implements CliServices {
  readonly started: { config: NodeConfig; io: NodeIo }[] = [];
  node = new FakeNode();
  startFailure: Error | undefined;
  /** Resolves with the config of the first start. */
  readonly firstStart: Promise<NodeConfig>;
  private onStart!: (config: NodeConfig) => void;

  constructor() {
    this.firstStart = new Promise((resolve) => {
      this.onStart = resolve;
    });
  }

  async startNode(config: NodeConfig, io: NodeIo): Promise<RunningNode> {
    this.started.push({ config, io });
    this.onStart(config);
    if (this.startFailure) throw this.startFailure;
    return this.node;
  }

  writeKeyPairFiles(): Promise<Identity> {
    throw new Error('unexpected keygen');
  }

  generateNetworkKeyFile(): Promise<void> {
    throw new Error('unexpected keygen');
  }

  identityOfCertificatePem(): Identity {
    throw new Error('unexpected id');
  }

  adminCommand(): Promise<void> {
    throw new Error('unexpected admin command');
  }
}

export interface CliResult {
  code: number;
  stdout: BufferSink;
  stderr: BufferSink;
}

export function startCli(
  argv: string[],
  options: { env?: Record<string, string>; services?: CliServices; signal?: AbortSignal } = {},
): { result: Promise<CliResult> } {
  const stdout = new BufferSink();
  const stderr = new BufferSink();
  const cli = new Cli({ argv, stdout, stderr, env: options.env ?? {} }, options.services ?? new FakeServices());
  return { result: cli.run(options.signal).then((code) => ({ code, stdout, stderr })) };
}

/** Runs a command that ends by itself (a usage error, help, keygen). */
export function runCli(argv: string[], options: Parameters<typeof startCli>[1] = {}): Promise<CliResult> {
  return startCli(argv, options).result;
}

/** Runs the node command until the fake node has started, then returns it with the pending result. */
export async function runNode(
  argv: string[],
  options: { env?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<{ services: FakeServices; config: NodeConfig; result: Promise<CliResult> }> {
  const services = new FakeServices();
  const { result } = startCli(argv, { ...options, services });
  const config = await Promise.race([
    services.firstStart,
    result.then((done): never => {
      throw new Error(`the node did not start: exit ${done.code}, ${done.stderr.text}`);
    }),
  ]);
  return { services, config, result };
}
