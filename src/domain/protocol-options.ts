import type { Identity } from './identity';
import type { Tags } from './tags';

/** Everything the protocol needs to decide, fixed for the life of a node. Times in ms. */
export interface ProtocolOptions {
  readonly self: Identity;
  /** The port peers should dial us on. */
  readonly advertisePort: number;
  /** The host peers should dial us at; without it, they use the IP they see us connect from. */
  readonly advertiseHost?: string;
  /** Between two rounds of pings to every peer. */
  readonly periodMs: number;
  /** Between two heartbeats on a connection that carries nothing else. */
  readonly heartbeatIntervalMs: number;
  /** Silence (since the last frame) after which a peer is dead. */
  readonly deadAfterMs: number;
  /** How long an authenticated connection may stay silent before its hello. */
  readonly helloTimeoutMs: number;
  /** First redial delay; doubles per failed attempt, with jitter. */
  readonly reconnectInitialMs: number;
  /** Cap of the redial delay. */
  readonly reconnectMaxMs: number;
  /** A peer unseen this long is forgotten and no longer redialled. */
  readonly reconnectTimeoutMs: number;
  /** Between two anti-entropy syncs with one random peer. */
  readonly syncIntervalMs: number;
  /** Bound on remembered peers, so no peer list can grow our memory without bound. */
  readonly maxPeers: number;
  /** Failed dials after which an address only heard of (never reached), or a stranger, is dropped. */
  readonly maxUnverifiedAttempts: number;
  /** Heartbeat intervals a peer must stay connected (and at least one period) to be established: see admission-policy.ts. */
  readonly establishAfterHeartbeats: number;
  /** Dials in flight at once to peers not established (candidates, strangers); the rest wait their turn. */
  readonly maxUnestablishedDials: number;
  /** Candidates (heard of, never reached) held at once; a peer list's entries past it are not taken. */
  readonly maxCandidates: number;
  /** New identities admitted from one remote host: a token bucket of this size ... */
  readonly newIdentityBurst: number;
  /** ... refilled at this rate per second. */
  readonly newIdentitiesPerSecond: number;
  /** When set, only these identities may connect, in either direction. */
  readonly allow?: ReadonlySet<Identity>;
  /** Uniform in [0, 1): jitter and the choice of a sync partner. */
  readonly random: () => number;
  /** Our tags at start (`--tag`), within TAG_LIMITS; none when absent. */
  readonly tags?: Tags;
  /** At most one round-trip echo per connection this often on heartbeats (pings always carry one). */
  readonly rttSampleIntervalMs: number;
}

/**
 * Every default of the protocol, in one place, with why it has its value. The
 * first five are CONTRACT.md's flag defaults (the CLI, the simulation and the
 * tests take them from here); the rest are not user-facing.
 */
export const PROTOCOL_DEFAULTS = {
  /** `--period`: one ping per peer every 5 s is visible without flooding a terminal. */
  periodMs: 5_000,
  /** `--heartbeat-interval`: five heartbeats fit in deadAfter, so a few lost or late ones are tolerated. */
  heartbeatIntervalMs: 1_000,
  /** `--dead-after`: five heartbeat intervals; a pause or a slow link does not kill a peer, a crashed one is noticed within seconds. */
  deadAfterMs: 5_000,
  /** `--reconnect-max`: a peer that comes back is found within 10 s; a long-gone one costs one dial per 10 s. */
  reconnectMaxMs: 10_000,
  /** `--reconnect-timeout`: like Serf's reconnect_timeout, a peer unseen for a day is forgotten. */
  reconnectTimeoutMs: 24 * 60 * 60 * 1_000,
  /** A TLS handshake on loopback takes ~1.5 ms; 5 s leaves room for slow links, not for idlers. */
  helloTimeoutMs: 5_000,
  /** "First retry within a second": jittered between 250 and 500 ms. */
  reconnectInitialMs: 500,
  /** Anti-entropy often enough to repair a missed exchange within seconds, rarely enough to cost nothing. */
  syncIntervalMs: 10_000,
  /** Room for a mesh of thousands, small enough that a hostile list costs a few hundred KB at most. */
  maxPeers: 4096,
  /** Three tries span ~2 s of backoff: enough for a peer that is still starting, not for a made-up address. */
  maxUnverifiedAttempts: 3,
  /**
   * Established after max(period, 3 heartbeats) connected (5 s by default): by then the peer has
   * answered a ping round and several heartbeats, which a throwaway identity that says hello and
   * vanishes never does; short enough that a real member earns its pin within seconds.
   */
  establishAfterHeartbeats: 3,
  /** 32 TLS dials at once cost little; a list of made-up entries then takes its turn instead of 4096 sockets at once. */
  maxUnestablishedDials: 32,
  /**
   * A joiner takes 128 new peers at a time, and more from the lists its new peers send; a made-up
   * list costs 128 records and at most 384 dials (3 each), 32 at a time, instead of 4096 and 12 288.
   */
  maxCandidates: 128,
  /** 64 newcomers at once from one host: a whole test mesh on loopback starting together. */
  newIdentityBurst: 64,
  /** Then 10 a second per host: far above any real join rate, far below a flood of 100+ throwaway keys a second. */
  newIdentitiesPerSecond: 10,
  /**
   * One round-trip sample per connection and direction every 5 s (the default period, so at
   * defaults the ping carries it and every heartbeat is the one shared object): a fresh
   * estimate within seconds of a change, and almost every heartbeat encoded once per round.
   */
  rttSampleIntervalMs: 5_000,
} as const;
