import type { NodeSettings } from '../../application/node-settings';
import { type Address, formatAddress } from '../../domain/address';
import type { NodeEvent } from '../../domain/events';
import type { Tags } from '../../domain/tags';
import { FakeClock, type RunOutcome } from './fake-clock';
import { DEFAULT_DIAL_TIMEOUT_MS, MemoryNetwork, type NetworkStats } from './memory-network';
import { MeshTracker } from './mesh-tracker';
import { NetworkConditions } from './network-conditions';
import { RawConnection } from './raw-connection';
import { type LogLevel, RecordingLogger } from './recording-logger';
import { RecordingOutput } from './recording-output';
import { SeededRandom } from './seeded-random';
import { simulatedIdentity } from './simulated-key-store';
import { type SimulatedProcessFactory, SimulatedNode, type SimulationWorld } from './simulated-node';

/** The port every simulated node listens on (each node has a machine of its own). */
export const SIMULATED_PORT = 8080;

/** The timings of a node, in ms. */
export type Timings = Pick<NodeSettings, 'periodMs' | 'heartbeatIntervalMs' | 'deadAfterMs' | 'reconnectMaxMs' | 'reconnectTimeoutMs' | 'tuning'>;

export interface SimulatedNetworkOptions {
  /** Every random choice (jitter, latency, loss, keys) follows from it: same seed, same run. */
  readonly seed: number;
  readonly createProcess: SimulatedProcessFactory;
  /** The timings of a node given none: the CLI's defaults (the composition root passes them). */
  readonly defaults: Timings;
  /** Timings of every node, over `defaults`. */
  readonly timings?: Partial<Timings>;
  readonly dialTimeoutMs?: number;
  /** Keep every event of every node (default); large benchmarks only observe. */
  readonly retainEvents?: boolean;
  /** Lowest log level kept (default `debug`). */
  readonly logLevel?: LogLevel;
  readonly onEvent?: (node: SimulatedNode, event: NodeEvent, at: number) => void;
}

export interface AddNodeOptions {
  /** Nodes to join through (their addresses become `--connect`). */
  readonly joinVia?: readonly string[];
  /** Addresses to join through that are no node's (a silent host). */
  readonly connect?: readonly Address[];
  /** Name of the node's key; defaults to the node's name. */
  readonly key?: string;
  /** Run on the machine and port of this (dead) node. */
  readonly at?: string;
  /** While the network is split: the side of this node. */
  readonly sideOf?: string;
  readonly timings?: Partial<Timings>;
  /** Its tags at start (`--tag`). */
  readonly tags?: Tags;
}

/**
 * Many membership nodes in one process, on fake time and an in-memory wire:
 * add, kill (abrupt), restart (same key, same address), stop (graceful),
 * partition and heal, latency and loss. One object, no module-level state;
 * every run with the same seed and the same steps is the same run.
 */
export class SimulatedNetwork {
  readonly clock: FakeClock;
  /** Who each node's events say it is connected to. */
  readonly mesh = new MeshTracker();
  private readonly network: MemoryNetwork;
  private readonly world: SimulationWorld;
  private readonly conditions: NetworkConditions;
  private readonly byName = new Map<string, SimulatedNode>();
  private machines = 0;

  constructor(private readonly options: SimulatedNetworkOptions) {
    this.clock = new FakeClock();
    this.conditions = new NetworkConditions(SeededRandom.derive(options.seed, 'wire'));
    this.network = new MemoryNetwork(this.clock, this.conditions, options.dialTimeoutMs ?? DEFAULT_DIAL_TIMEOUT_MS);
    this.world = { seed: options.seed, network: this.network, clock: this.clock };
  }

  get stats(): Readonly<NetworkStats> {
    return this.network.stats;
  }

  now(): number {
    return this.clock.now();
  }

  node(name: string): SimulatedNode {
    const node = this.byName.get(name);
    if (node === undefined) throw new RangeError(`no simulated node named ${name}`);
    return node;
  }

  nodes(): SimulatedNode[] {
    return [...this.byName.values()];
  }

  running(): SimulatedNode[] {
    return this.nodes().filter((node) => node.live);
  }

  /** Creates a node and starts its first process; resolves once it listens. */
  async addNode(name: string, options: AddNodeOptions = {}): Promise<SimulatedNode> {
    const [node] = await this.addNodes([{ name, ...options }]);
    return node as SimulatedNode;
  }

  /** Creates several nodes (which may join through each other) and starts them at the same instant. */
  async addNodes(specs: readonly (AddNodeOptions & { readonly name: string })[]): Promise<SimulatedNode[]> {
    const hosts = new Map(specs.map((spec) => [spec.name, spec.at === undefined ? this.newMachine() : this.node(spec.at).host]));
    const addressOf = (name: string): Address => {
      const host = hosts.get(name);
      return host === undefined ? this.node(name).address : formatAddress(host, SIMULATED_PORT);
    };
    const nodes = specs.map((spec) => this.define(spec, hosts.get(spec.name) as string, [...(spec.joinVia ?? []).map(addressOf), ...(spec.connect ?? [])]));
    await Promise.all(nodes.map((node) => this.launch(node)));
    return nodes;
  }

  /** Abrupt death: connections reset (the peers see it as a TCP RST would show), no goodbye, no more timers. */
  kill(name: string): void {
    const node = this.node(name);
    if (!node.live) throw new RangeError(`node ${name} is not running`);
    node.process.adapters.transport.crash();
    node.process.adapters.clock.halt();
    node.status = 'killed';
    this.mesh.ended(name);
  }

  /** A new process with the node's key, on its machine and port. */
  async restart(name: string): Promise<SimulatedNode> {
    const node = this.node(name);
    if (node.live) throw new RangeError(`node ${name} is still running`);
    await this.launch(node);
    return node;
  }

  /** Graceful stop: goodbye to every peer, then the process ends. */
  async stop(name: string): Promise<void> {
    const node = this.node(name);
    if (!node.live) throw new RangeError(`node ${name} is not running`);
    await node.process.app.stop();
    node.process.adapters.clock.halt();
    node.status = 'stopped';
    this.mesh.ended(name);
  }

  /** Cuts the cables between groups of nodes; machines in no group can reach only each other. */
  partition(groups: readonly (readonly string[])[]): void {
    this.network.partition(groups.map((names) => names.map((name) => this.node(name).host)));
  }

  heal(): void {
    this.network.heal();
  }

  setLatency(baseMs: number, jitterMs = 0): void {
    this.conditions.setLatency(baseMs, jitterMs);
  }

  setLoss(rate: number): void {
    this.conditions.setLoss(rate);
  }

  /** Whether every running node's events say it is connected to every other running node. */
  isFullMesh(): boolean {
    return this.mesh.isFullMesh();
  }

  /** A raw participant with a key of its own (`keyName`) on a new machine, dialling a node. */
  rawConnection(keyName: string, target: string): RawConnection {
    const identity = simulatedIdentity(this.options.seed, keyName);
    return new RawConnection(this.network, this.newMachine(), identity, this.node(target).address);
  }

  /** A new machine whose process accepts connections on SIMULATED_PORT and never completes a handshake. */
  silentHost(): Address {
    const host = this.newMachine();
    this.network.silence(host, SIMULATED_PORT);
    return formatAddress(host, SIMULATED_PORT);
  }

  /** Dials attempted to a node's address so far, by anyone. */
  dialsTo(name: string): number {
    return this.network.dialsTo(this.node(name).address);
  }

  advance(ms: number): void {
    this.clock.advance(ms);
  }

  runUntil(predicate: () => boolean, maxFakeMs: number): RunOutcome {
    return this.clock.runUntil(predicate, maxFakeMs);
  }

  private define(options: AddNodeOptions & { readonly name: string }, host: string, connect: readonly Address[]): SimulatedNode {
    const { name } = options;
    if (this.byName.has(name)) throw new RangeError(`a simulated node named ${name} exists`);
    if (options.sideOf !== undefined) this.conditions.placeWith(host, this.node(options.sideOf).host);
    const settings: NodeSettings = {
      host,
      port: SIMULATED_PORT,
      connect,
      ...this.options.defaults,
      ...this.options.timings,
      ...options.timings,
      ...(options.tags === undefined ? {} : { tags: options.tags }),
    };
    const keyName = options.key ?? name;
    const output = new RecordingOutput((event, at) => {
      this.mesh.observe(name, event);
      this.options.onEvent?.(node, event, at);
    }, this.options.retainEvents ?? true);
    const logger = new RecordingLogger(() => this.clock.now(), this.options.logLevel ?? 'debug');
    const identity = simulatedIdentity(this.options.seed, keyName);
    const node = new SimulatedNode(name, host, SIMULATED_PORT, keyName, identity, settings, output, logger);
    this.byName.set(name, node);
    return node;
  }

  private async launch(node: SimulatedNode): Promise<void> {
    node.status = 'starting';
    const process = this.options.createProcess(this.world, node, node.incarnation + 1);
    node.attach(process);
    await process.app.start();
    node.status = 'running';
    this.mesh.started(node.name, node.identity);
  }

  private newMachine(): string {
    this.machines += 1;
    const index = this.machines;
    return `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}`;
  }
}
