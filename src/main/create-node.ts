import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import type { Output } from '../application/ports/output.port';
import type { PeerStoreStatus } from '../application/peer-store-writer';
import type { Tags } from '../domain/tags';
import type { AdminService } from './admin-service';
import { readAllowList } from '../adapters/keys/allow-list';
import { DataDirLock } from '../adapters/store/data-dir-lock';
import type { ListeningEvent, NodeEvent, NodeEventName } from '../domain/events';
import type { Member } from '../domain/peer';
import { ConfigurationError } from '../application/configuration.error';
import { embeddedModule, hostAdaptersModule } from './embedded.module';
import { checkEmbedding, type EmbeddedConfig, type NodeAdapters, type NodeOptions } from './embedding-input';
import { createMembershipNode } from './node-container';
import { NodeOptionsError } from './node-options.error';
import { nodeSettingsFromConfig } from './node-settings-from-config';
import { realNetworkModule } from './real-network.module';

export type { NodeAdapters, NodeOptions } from './embedding-input';

/** An event as listeners receive it: the contract's fields plus `ts` (ISO-8601 UTC). */
export type EventOf<Name extends NodeEventName> = Extract<NodeEvent, { event: Name }> & { readonly ts: string };

export type NodeListener<Name extends NodeEventName> = (event: EventOf<Name>) => void;

/** A bad file is a bad option, for a library, whenever it is found. */
function asOptionsError(error: unknown): unknown {
  return error instanceof ConfigurationError ? new NodeOptionsError([error.message], { cause: error }) : error;
}

/**
 * A membership node inside a host program. Nothing is global: any number of
 * nodes can live in one process, and the library installs no process handlers.
 */
export class GossipNode {
  private readonly emitter = new EventEmitter();
  private readonly node: ReturnType<typeof createMembershipNode>;
  private identity: string | undefined;
  private readonly lock: DataDirLock | undefined;
  private readonly config: EmbeddedConfig;
  private startCalled = false;
  private admin: AdminService | undefined;

  /** Use `createNode`. */
  constructor(options: NodeOptions = {}, adapters: Partial<NodeAdapters> = {}) {
    const check = checkEmbedding(options, adapters);
    if (!check.ok) throw new NodeOptionsError(check.problems);
    const { config } = check;
    this.config = config;
    const hostOutput = check.adapters.output;
    const events: Output = {
      emit: (event, at) => {
        hostOutput?.emit(event, at);
        this.emitter.emit(event.event, { ts: at.toISOString(), ...event });
      },
    };
    try {
      const allow = typeof config.allow === 'string' ? readAllowList(config.allow) : config.allow === undefined ? undefined : new Set(config.allow);
      this.node = createMembershipNode(
        nodeSettingsFromConfig(config, allow),
        realNetworkModule(config),
        embeddedModule(config.logLevel, events),
        hostAdaptersModule(check.adapters),
      );
      this.lock = config.dataDir === undefined ? undefined : new DataDirLock(config.dataDir);
    } catch (error) {
      // An unreadable allowlist or network-key file is a problem with the options too.
      throw asOptionsError(error);
    }
  }

  /** This node's identity, once started. */
  get id(): string | undefined {
    return this.identity;
  }

  /** Listens and joins (serving the admin API first, with the `admin` option); resolves once peers can connect. */
  async start(): Promise<ListeningEvent> {
    // A second start() fails as the node says, and must neither stop nor unlock the running node.
    if (this.startCalled) return this.node.start();
    this.startCalled = true;
    const { config } = this;
    let listening: ListeningEvent;
    try {
      // One node per data dir, in this process or another (a DataDirLockError names the holder's pid).
      await this.lock?.acquire();
      if (config.admin !== undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- prom-client loads only for a node that serves the admin API
        const { startAdminService } = require('./admin-service') as typeof import('./admin-service');
        this.admin = await startAdminService(this.node, this.node.events, {
          ...config.admin,
          ...(config.adminToken === undefined ? {} : { tokenFile: config.adminToken }),
          deadAfterMs: config.deadAfter * 1000,
          requestLeave: () => void this.stop(),
          logger: this.node.logger,
        });
      }
      listening = await this.node.start(this.admin === undefined ? {} : { admin: this.admin.address });
    } catch (error) {
      // Nothing is left running after a failed start; the start failure is what the host sees.
      await this.admin?.close().catch(() => undefined);
      await this.node.stop().catch(() => undefined);
      await this.lock?.release();
      throw asOptionsError(error);
    }
    this.identity = listening.id;
    return listening;
  }

  /** Says goodbye to every peer and closes every handle. */
  async stop(): Promise<void> {
    try {
      await this.admin?.close();
      await this.node.stop();
    } finally {
      await this.lock?.release();
    }
  }

  /** Where the admin API listens (host:port), once started with the `admin` option. */
  get adminAddress(): string | undefined {
    return this.admin?.address;
  }

  /** Every known peer: identity, dialable address, state, when it was last heard from, its tags and round trip. */
  members(): Member[] {
    return this.node.members();
  }

  /** Replaces this node's tags (same limits as `--tag`); throws a NodeOptionsError naming what is wrong. */
  setTags(tags: Tags): void {
    try {
      this.node.setTags(tags);
    } catch (error) {
      throw asOptionsError(error);
    }
  }

  /** Sends the host's own ping message to every connected peer (`ping_received` there); over 4 KiB of UTF-8 is a NodeOptionsError. */
  broadcast(message: string): void {
    try {
      this.node.broadcast(message);
    } catch (error) {
      throw asOptionsError(error);
    }
  }

  on<Name extends NodeEventName>(event: Name, listener: NodeListener<Name>): this {
    this.emitter.on(event, listener);
    return this;
  }

  once<Name extends NodeEventName>(event: Name, listener: NodeListener<Name>): this {
    this.emitter.once(event, listener);
    return this;
  }

  off<Name extends NodeEventName>(event: Name, listener: NodeListener<Name>): this {
    this.emitter.off(event, listener);
    return this;
  }

  /**
   * Whether the peer store (`dataDir`'s peers.json) is written: `writable`
   * is false from a failed write until one succeeds again, `failures` counts
   * the consecutive failed writes, `failingSince` (ms since the epoch) and
   * `lastError` (one line naming the file) describe the current failure. The
   * node runs on while writes fail, retrying with backoff; a node without
   * `dataDir` is always writable. The same state as the admin API's
   * `p2p_gossip_store_writable` metric.
   */
  get storeStatus(): PeerStoreStatus {
    return this.node.storeStatus;
  }
}

/**
 * Checks the options and the adapters' shapes (throwing a NodeOptionsError
 * listing every problem) and builds a node; `start()` it. `options` are the
 * CLI's; `adapters` replace ours, port by port.
 */
export function createNode(options: NodeOptions = {}, adapters: Partial<NodeAdapters> = {}): GossipNode {
  return new GossipNode(options, adapters);
}
