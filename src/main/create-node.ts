import 'reflect-metadata';
import { EventEmitter } from 'node:events';
import type { Output } from '../application/ports/output.port';
import { readAllowList } from '../adapters/keys/allow-list';
import { DataDirLock } from '../adapters/store/data-dir-lock';
import type { ListeningEvent, NodeEvent, NodeEventName } from '../domain/events';
import type { Member } from '../domain/peer';
import { checkNodeConfig, type NodeConfigInput } from './config';
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
  private readonly lock: DataDirLock | undefined;

  /** Use `createNode`. */
  constructor(options: NodeOptions) {
    const config: Record<string, unknown> = { ...options };
    for (const key of ADAPTER_KEYS) delete config[key];
    const check = checkNodeConfig(config, (path) => path.map(String).join('.'));
    if (!check.ok) throw new NodeOptionsError(check.problems);
    const hostOutput = options.output;
    const output: Output = {
      emit: (event, at) => {
        hostOutput?.emit(event, at);
        this.emitter.emit(event.event, { ts: at.toISOString(), ...event });
      },
    };
    const adapters = { ...options, output, logger: options.logger ?? silentLogger };
    try {
      const allow = check.config.allow === undefined ? undefined : readAllowList(check.config.allow);
      this.node = createMembershipNode(nodeSettingsFromConfig(check.config, allow), realNetworkModule(check.config, adapters));
      this.lock = check.config.dataDir === undefined ? undefined : new DataDirLock(check.config.dataDir);
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

  /** Listens and joins; resolves once peers can connect. */
  async start(): Promise<ListeningEvent> {
    // One node per data dir, in this process or another (a DataDirLockError names the holder's pid).
    const locking = this.lock !== undefined && !this.lock.held;
    await this.lock?.acquire();
    try {
      const listening = await this.node.start();
      this.identity = listening.id;
      return listening;
    } catch (error) {
      // A second start() of a running node fails, and must not unlock it.
      if (locking) await this.lock?.release();
      throw error;
    }
  }

  /** Says goodbye to every peer and closes every handle. */
  async stop(): Promise<void> {
    try {
      await this.node.stop();
    } finally {
      await this.lock?.release();
    }
  }

  /** Every known peer: identity, dialable address, state and when it was last heard from. */
  members(): Member[] {
    return this.node.members();
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

  /** Settles if the node stops on its own; nothing does so now (a failing peer store costs persistence only). */
  get failed(): Promise<Error> {
    return this.node.failed;
  }
}

/** Checks the options (throwing a NodeOptionsError listing every problem) and builds a node; `start()` it. */
export function createNode(options: NodeOptions = {}): GossipNode {
  return new GossipNode(options);
}
