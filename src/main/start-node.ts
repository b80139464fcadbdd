import 'reflect-metadata';
import { readAllowList } from '../adapters/keys/allow-list';
import { EventFeed } from '../application/event-feed';
import { createBunyanLogger } from '../adapters/logging/bunyan-logger';
import { JsonOutput } from '../adapters/output/json-output';
import { TextOutput } from '../adapters/output/text-output';
import type { TextSink } from '../adapters/output/text-sink';
import type { NodeConfig } from './config';
import { createMembershipNode } from './node-container';
import { nodeSettingsFromConfig } from './node-settings-from-config';
import { realNetworkModule } from './real-network.module';
import type { AdminService } from './admin-service';

/** Required on first use: prom-client and the HTTP server only load when --admin is given. */
function loadAdminService(): typeof import('./admin-service') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading late is the point
  return require('./admin-service') as typeof import('./admin-service');
}

/** Where a CLI node writes: events to stdout, logs and fatal lines to stderr. */
export interface NodeIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** `--log-format` when not given: readable lines for a person at a terminal, JSON for machines. */
function logFormatFor(config: NodeConfig, stderr: TextSink): 'text' | 'json' {
  return config.logFormat ?? ((stderr as { isTTY?: boolean }).isTTY === true ? 'text' : 'json');
}

export interface RunningNode {
  /** Says goodbye to the peers and closes every handle. */
  stop(): Promise<void>;
  /** Settles if the node stops on its own, with what stopped it. */
  readonly failed: Promise<Error>;
  /** Settles when an operator asked it to leave (`POST /v1/leave`): stop it as on SIGINT. */
  readonly leaveRequested?: Promise<void>;
}

/**
 * Starts a node for the CLI: events on stdout, logs on stderr. Resolves once
 * peers can connect. Rejects with a ConfigurationError for unusable files
 * (exit 2) and any other Error for a runtime failure (exit 1).
 */
export async function startNode(config: NodeConfig, io: NodeIo): Promise<RunningNode> {
  const logger = createBunyanLogger(io.stderr, config.logLevel, logFormatFor(config, io.stderr));
  const output = new EventFeed(config.output === 'json' ? new JsonOutput(io.stdout) : new TextOutput(io.stdout));
  const allow = config.allow === undefined ? undefined : readAllowList(config.allow);
  const node = createMembershipNode(nodeSettingsFromConfig(config, allow), realNetworkModule(config, { output, logger }));
  let requestLeave = (): void => undefined;
  const leaveRequested = new Promise<void>((resolve) => {
    requestLeave = resolve;
  });
  let admin: AdminService | undefined;
  try {
    if (config.admin !== undefined) {
      admin = await loadAdminService().startAdminService(node, output, {
        ...config.admin,
        ...(config.adminToken === undefined ? {} : { tokenFile: config.adminToken }),
        deadAfterMs: config.deadAfter * 1000,
        requestLeave,
        logger,
      });
    }
    await node.start(admin === undefined ? {} : { admin: admin.address });
  } catch (error) {
    // The start failure is what the user must see, not a failure of the clean-up after it.
    await admin?.close().catch(() => undefined);
    await node.stop().catch(() => undefined);
    throw error;
  }
  const stop = async (): Promise<void> => {
    await admin?.close();
    await node.stop();
  };
  return { stop, failed: node.failed, leaveRequested };
}
