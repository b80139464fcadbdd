import { FileFailure } from '../application/configuration.error';
import { formatAddress } from '../domain/address';
import type { EventFeed } from '../application/event-feed';
import type { MembershipNode } from '../application/membership-node';
import { NodeAdmin } from '../application/node-admin';
import type { Logger } from '../application/ports/logger.port';
import { readAdminToken } from './admin-token';
import { AdminServer } from '../adapters/admin/admin-server';
import { PrometheusMetrics } from '../adapters/admin/prometheus-metrics';

/**
 * The admin API of one node: its use-case, its metrics and its HTTP server.
 * Loaded only when `--admin` is given (node:http costs start-up time a
 * plain node does not need to pay; prom-client waits for the first scrape).
 */
export interface AdminService {
  /** host:port actually bound. */
  readonly address: string;
  readonly admin: NodeAdmin;
  close(): Promise<void>;
}

export interface AdminServiceOptions {
  readonly host: string;
  readonly port: number;
  /** `--admin-token` file. */
  readonly tokenFile?: string;
  readonly deadAfterMs: number;
  readonly requestLeave: () => void;
  readonly logger: Logger;
}

export async function startAdminService(node: MembershipNode, feed: EventFeed, options: AdminServiceOptions): Promise<AdminService> {
  const token = options.tokenFile === undefined ? undefined : readAdminToken(options.tokenFile);
  const admin = new NodeAdmin(node, feed, { deadAfterMs: options.deadAfterMs, requestLeave: options.requestLeave });
  const metrics = new PrometheusMetrics({
    members: () => admin.members(),
    storeStatus: () => node.storeStatus,
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at the first scrape: a node nobody scrapes does without it
    loadPromClient: () => require('prom-client') as typeof import('prom-client'),
  });
  const unsubscribe = feed.subscribe((event) => metrics.record(event));
  const server = new AdminServer({ host: options.host, port: options.port, ...(token === undefined ? {} : { token }), admin, logger: options.logger, metrics });
  let address: string;
  try {
    address = await server.listen();
  } catch (error) {
    unsubscribe();
    const code = (error as { code?: string }).code;
    const reason = code === 'EADDRINUSE' ? 'address already in use' : code === 'EADDRNOTAVAIL' ? 'address not available on this machine' : (error as Error).message;
    throw new FileFailure([{ option: 'admin', path: formatAddress(options.host, options.port) }], `cannot listen: ${reason}`, { cause: error });
  }
  return {
    address,
    admin,
    close: async () => {
      unsubscribe();
      await server.close();
    },
  };
}
