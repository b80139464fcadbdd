import type { KeyStore } from '../../application/ports/key-store.port';
import type { PeerStore } from '../../application/ports/peer-store.port';
import type { NodeSettings } from '../../application/node-settings';
import { type Address, formatAddress } from '../../domain/address';
import type { ListeningEvent } from '../../domain/events';
import type { Identity } from '../../domain/identity';
import type { Member } from '../../domain/peer';
import type { Tags } from '../../domain/tags';
import type { MemoryTransport } from './memory-transport';
import type { RecordedEvent, RecordingOutput } from './recording-output';
import type { RecordingLogger } from './recording-logger';
import type { ScopedClock } from './scoped-clock';
import type { SeededRandom } from './seeded-random';

/** The adapters one simulated process runs on; a simulation ContainerModule binds them to the ports. */
export interface SimulatedNodeAdapters {
  readonly transport: MemoryTransport;
  readonly clock: ScopedClock;
  readonly random: SeededRandom;
  readonly keyStore: KeyStore;
  readonly output: RecordingOutput;
  readonly logger: RecordingLogger;
  readonly peerStore: PeerStore;
}

/** What the network needs of the application it runs: the MembershipNode fits. */
export interface SimulatedApp {
  start(): Promise<ListeningEvent>;
  stop(): Promise<void>;
  members(): Member[];
  setTags(tags: Tags): void;
}

/** Builds the application for one process (the composition root supplies it). */
export type SimulatedAppFactory = (settings: NodeSettings, adapters: SimulatedNodeAdapters) => SimulatedApp;

export type NodeStatus = 'starting' | 'running' | 'killed' | 'stopped';

/** One running process of a simulated node. */
export interface SimulatedProcess {
  readonly app: SimulatedApp;
  readonly adapters: SimulatedNodeAdapters;
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
