import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import type { Output } from '../application/ports/output.port';
import { EventFeed } from '../application/event-feed';
import { type MemberWithExtras, withExtras } from '../application/node-admin';
import type { Tags } from '../domain/tags';
import { tagsProblem } from '../domain/tags';
import type { AdminService } from './admin-service';
import { readAllowList } from '../adapters/keys/allow-list';
import type { ListeningEvent, NodeEvent, NodeEventName } from '../domain/events';
import { checkNodeConfig, type NodeConfig, type NodeConfigInput } from './config';
import { ConfigurationError } from '../application/configuration.error';
import { createMembershipNode } from './node-container';
import { NodeOptionsError } from './node-options.error';
import { nodeSettingsFromConfig } from './node-settings-from-config';
import { type NodeAdapters, realNetworkModule } from './real-network.module';
import { silentLogger } from './silent-logger';

/**
 * The CLI's options (same names, same checks), plus any adapters the host
 * brings. `output` is the host's Output adapter here, not the CLI's format.
 */
export type NodeOptions = Omit<NodeConfigInput, 'output'> & Partial<NodeAdapters>;

/** An event as listeners receive it: the contract's fields plus `ts` (ISO-8601 UTC). */
export type EventOf<Name extends NodeEventName> = Extract<NodeEvent, { event: Name }> & { readonly ts: string };

export type NodeListener<Name extends NodeEventName> = (event: EventOf<Name>) => void;

const ADAPTER_KEYS = ['transport', 'clock', 'random', 'keyStore', 'output', 'peerStore', 'logger'] as const;

/**
 * A membership node inside a host program. Nothing is global: any number of
 * nodes can live in one process, and the library installs no process handlers.
 */
export class GossipNode {
  private readonly emitter = new EventEmitter();
  private readonly node: ReturnType<typeof createMembershipNode>;
  private identity: string | undefined;
  private readonly config: NodeConfig;
  private readonly feed: EventFeed;
  private admin: AdminService | undefined;

  /** Use `createNode`. */
  constructor(private readonly options: NodeOptions) {
    const config: Record<string, unknown> = { ...options };
    for (const key of ADAPTER_KEYS) delete config[key];
    const check = checkNodeConfig(config, (path) => path.map(String).join('.'));
    if (!check.ok) throw new NodeOptionsError(check.problems);
    this.config = check.config;
    const hostOutput = options.output;
    const output: Output = {
      emit: (event, at) => {
        hostOutput?.emit(event, at);
        this.emitter.emit(event.event, { ts: at.toISOString(), ...event });
      },
    };
    this.feed = new EventFeed(output);
    const adapters = { ...options, output: this.feed, logger: options.logger ?? silentLogger };
    try {
      const allow = check.config.allow === undefined ? undefined : readAllowList(check.config.allow);
      this.node = createMembershipNode(nodeSettingsFromConfig(check.config, allow), realNetworkModule(check.config, adapters));
    } catch (error) {
      // An unreadable allow or network-key file is a problem with the options too.
      if (error instanceof ConfigurationError) throw new NodeOptionsError([error.message]);
      throw error;
    }
  }

  /** This node's identity, once started. */
  get id(): string | undefined {
    return this.identity;
  }

  /** Listens and joins (serving the admin API first, with the `admin` option); resolves once peers can connect. */
  async start(): Promise<ListeningEvent> {
    const { config } = this;
    try {
      if (config.admin !== undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- prom-client loads only for a node that serves the admin API
        const { startAdminService } = require('./admin-service') as typeof import('./admin-service');
        this.admin = await startAdminService(this.node, this.feed, {
          ...config.admin,
          ...(config.adminToken === undefined ? {} : { tokenFile: config.adminToken }),
          deadAfterMs: config.deadAfter * 1000,
          requestLeave: () => void this.stop(),
          logger: this.options.logger ?? silentLogger,
        });
      }
      const listening = await this.node.start(this.admin === undefined ? {} : { admin: this.admin.address });
      this.identity = listening.id;
      return listening;
    } catch (error) {
      await this.admin?.close().catch(() => undefined);
      if (error instanceof ConfigurationError) throw new NodeOptionsError([error.message]);
      throw error;
    }
  }

  /** Says goodbye to every peer and closes every handle. */
  async stop(): Promise<void> {
    await this.admin?.close();
    await this.node.stop();
  }

  /** Where the admin API listens (host:port), once started with the `admin` option. */
  get adminAddress(): string | undefined {
    return this.admin?.address;
  }

  /** Every known peer: identity, dialable address, state, when it was last heard from, its tags and round trip. */
  members(): MemberWithExtras[] {
    return this.node.members().map(withExtras);
  }

  /** Replaces this node's tags (same limits as `--tag`); throws a NodeOptionsError naming what is wrong. */
  setTags(tags: Tags): void {
    const problem = tagsProblem(tags);
    if (problem !== undefined) throw new NodeOptionsError([`tags: ${problem}`]);
    this.node.setTags(tags);
  }

  /** Sends the host's own ping message to every connected peer (`ping_received` there). */
  broadcast(message: string): void {
    this.node.broadcast(message);
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

  /** Settles if the node stops on its own (its peer store can no longer be written). */
  get failed(): Promise<Error> {
    return this.node.failed;
  }
}

/** Checks the options (throwing a NodeOptionsError listing every problem) and builds a node; `start()` it. */
export function createNode(options: NodeOptions = {}): GossipNode {
  return new GossipNode(options);
}
