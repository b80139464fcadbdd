import 'reflect-metadata';
import { readAllowList } from '../adapters/keys/allow-list';
import { DataDirLock } from '../adapters/store/data-dir-lock';
import type { TextSink } from '../adapters/output/text-sink';
import type { Logger } from '../application/ports/logger.port';
import type { NodeConfig } from './config';
import { createMembershipNode } from './node-container';
import { nodeSettingsFromConfig } from './node-settings-from-config';
import { realNetworkModule } from './real-network.module';
import { terminalModule } from './terminal.module';
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

export interface RunningNode {
  /** Says goodbye to the peers and closes every handle. */
  stop(): Promise<void>;
  /** The node's logger, for what the CLI reports itself (the stack of an unexpected error, at debug). */
  readonly logger?: Logger;
  /** Settles when an operator asked it to leave (`POST /v1/leave`): stop it as on SIGINT. */
  readonly leaveRequested?: Promise<void>;
}

/**
 * Starts a node for the CLI: events on stdout, logs on stderr. Resolves once
 * peers can connect. Rejects with a ConfigurationError for unusable files
 * (exit 2) and any other Error for a runtime failure (exit 1).
 */
export async function startNode(config: NodeConfig, io: NodeIo): Promise<RunningNode> {
  const allow = config.allow === undefined ? undefined : readAllowList(config.allow);
  const node = createMembershipNode(nodeSettingsFromConfig(config, allow), realNetworkModule(config), terminalModule(config, io));
  // Before anything in the data dir is read or created: one process per data dir, one identity.
  const lock = config.dataDir === undefined ? undefined : new DataDirLock(config.dataDir);
  await lock?.acquire();
  let requestLeave = (): void => undefined;
  const leaveRequested = new Promise<void>((resolve) => {
    requestLeave = resolve;
  });
  let admin: AdminService | undefined;
  try {
    if (config.admin !== undefined) {
      admin = await loadAdminService().startAdminService(node, node.events, {
        ...config.admin,
        ...(config.adminToken === undefined ? {} : { tokenFile: config.adminToken }),
        deadAfterMs: config.deadAfter * 1000,
        requestLeave,
        logger: node.logger,
      });
    }
    await node.start(admin === undefined ? {} : { admin: admin.address });
  } catch (error) {
    // The start failure is what the user must see, not a failure of the clean-up after it.
    await admin?.close().catch(() => undefined);
    await node.stop().catch(() => undefined);
    await lock?.release();
    throw error;
  }
  const stop = async (): Promise<void> => {
    try {
      await admin?.close();
      await node.stop();
    } finally {
      await lock?.release();
    }
  };
  return { stop, logger: node.logger, leaveRequested };
}
