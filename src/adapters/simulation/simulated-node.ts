import type { NodeSettings } from '../../application/node-settings';
import { type Address, formatAddress } from '../../domain/address';
import type { ListeningEvent } from '../../domain/events';
import type { Identity } from '../../domain/identity';
import type { Member } from '../../domain/peer';
import type { FakeClock } from './fake-clock';
import type { MemoryNetwork } from './memory-network';
import type { Tags } from '../../domain/tags';
import type { MemoryTransport } from './memory-transport';
import type { RecordedEvent, RecordingOutput } from './recording-output';
import type { RecordingPeerStore } from './recording-peer-store';
import type { RecordingLogger } from './recording-logger';
import type { ScopedClock } from './scoped-clock';

/** The adapters of one simulated process that the network drives: a kill resets the transport and halts the clock. */
export interface SimulatedProcessAdapters {
  readonly transport: MemoryTransport;
  readonly clock: ScopedClock;
  /** Keeps the pins a real store would write, for scenarios to check. */
  readonly peerStore: RecordingPeerStore;
}

/** What every process of one simulated network shares. */
export interface SimulationWorld {
  readonly seed: number;
  readonly network: MemoryNetwork;
  readonly clock: FakeClock;
}

/** What the network needs of the application it runs: the MembershipNode fits. */
export interface SimulatedApp {
  start(): Promise<ListeningEvent>;
  stop(): Promise<void>;
  members(): Member[];
  setTags(tags: Tags): void;
}

/** Builds process number `incarnation` of `node`, adapters and application (the composition root supplies it). */
export type SimulatedProcessFactory = (world: SimulationWorld, node: SimulatedNode, incarnation: number) => SimulatedProcess;

export type NodeStatus = 'starting' | 'running' | 'killed' | 'stopped';

/** One running process of a simulated node. */
export interface SimulatedProcess {
  readonly app: SimulatedApp;
  readonly adapters: SimulatedProcessAdapters;
}

/**
 * A named node of the simulated network: a machine, a key, its settings, and
 * the process currently running there. Its events and log span restarts.
 */
export class SimulatedNode {
  status: NodeStatus = 'starting';
  /** Processes started so far (1 for the first start). */
  incarnation = 0;
  private current: SimulatedProcess | undefined;

  constructor(
    readonly name: string,
    readonly host: string,
    readonly port: number,
    /** The key's name: the same name is the same key, so the same identity. */
    readonly keyName: string,
    readonly identity: Identity,
    readonly settings: NodeSettings,
    readonly output: RecordingOutput,
    readonly logger: RecordingLogger,
  ) {}

  get address(): Address {
    return formatAddress(this.host, this.port);
  }

  get live(): boolean {
    return this.status === 'running';
  }

  get events(): readonly RecordedEvent[] {
    return this.output.events;
  }

  get process(): SimulatedProcess {
    if (this.current === undefined) throw new Error(`node ${this.name} has no process`);
    return this.current;
  }

  attach(process: SimulatedProcess): void {
    this.current = process;
    this.incarnation += 1;
  }

  members(): Member[] {
    return this.current?.app.members() ?? [];
  }

  /** Replaces the running process's tags, as `PUT /v1/tags` does. */
  setTags(tags: Tags): void {
    this.process.app.setTags(tags);
  }
}
