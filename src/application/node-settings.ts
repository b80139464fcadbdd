import type { Address } from '../domain/address';
import type { Identity } from '../domain/identity';
import type { ProtocolOptions } from '../domain/protocol-options';
import type { Tags } from '../domain/tags';

export const NodeSettings = Symbol('NodeSettings');

/** What the host decided for this node, in the units the protocol uses (ms). */
export interface NodeSettings {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** `--advertise`: where peers should dial us, when the bound address is not it. */
  readonly advertise?: Address;
  /** Peers to join through. */
  readonly connect: readonly Address[];
  readonly periodMs: number;
  readonly heartbeatIntervalMs: number;
  readonly deadAfterMs: number;
  readonly reconnectMaxMs: number;
  readonly reconnectTimeoutMs: number;
  readonly allow?: ReadonlySet<Identity>;
  /** `--tag`: this node's metadata at start-up. */
  readonly tags?: Tags;
  /** Overrides of the protocol's internal defaults (tests and benchmarks). */
  readonly tuning?: Partial<Pick<ProtocolOptions, 'helloTimeoutMs' | 'reconnectInitialMs' | 'syncIntervalMs' | 'maxPeers' | 'maxUnverifiedAttempts'>>;
}
