import type { NodeEvent } from '../../domain/events';
import type { MembersSnapshot, MemberState } from '../../application/node-admin';
import type { PeerStoreStatus } from '../../application/peer-store-writer';

type PromClient = typeof import('prom-client');
type Registry = InstanceType<PromClient['Registry']>;

const STATES: readonly MemberState[] = ['connected', 'disconnected', 'dead', 'left'];

/**
 * How often the event loop's delay is sampled (prom-client's nodejs_eventloop_lag_{min,max,mean,p50,p90,p99}
 * gauges; nodejs_eventloop_lag_seconds is measured at each scrape anyway). prom-client's default, 10 ms,
 * wakes an idle node 100 times a second: measured here, 0.3 to 0.5 % of a core per process, several
 * times what an idle node costs without it; at 100 ms it still cost about 0.05 % more than loading
 * prom-client alone. A block of the loop longer than 1 s always shows, a shorter one as often as it
 * overlaps a sample. Node's histogram records the whole interval between two samples, so these gauges read
 * 1 s plus the delay (prom-client's default reads 10 ms plus it); nodejs_eventloop_lag_seconds is the delay alone.
 */
const EVENT_LOOP_SAMPLE_MS = 1000;

/** Round trips on loopback are well under a millisecond; a WAN's are tens to hundreds. */
const RTT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** What the node's events add up to until (and after) the first scrape: plain numbers. */
interface EventCounts {
  pingsSent: number;
  pingsReceived: number;
  readonly rejections: Map<string, number>;
}

export interface MetricsSources {
  readonly members: () => MembersSnapshot;
  readonly storeStatus: () => PeerStoreStatus;
  /** Loads prom-client: called at the first scrape. */
  readonly loadPromClient: () => PromClient;
}

/**
 * The node's Prometheus metrics, in a registry of its own (never prom-client's
 * global one, so that several embedded nodes can live in one process).
 *
 * Nothing of prom-client runs, nor is loaded, before the first scrape: a node
 * nobody scrapes should not pay for it (admin-idle benchmark). Until then the
 * events are counted in plain numbers, which the counters report at each
 * scrape; the peer, store and round-trip figures are read at scrape time. The
 * round-trip histogram takes one sample per connected peer at each scrape
 * (its smoothed round trip then).
 *
 * prom-client's default process metrics start at that first scrape too: two
 * of them sample all the time (the event loop's delay, on a timer, and every
 * garbage collection, through a performance observer), about 0.04 points of
 * an idle core together. The first scrape waits (about 2 s) for the first
 * sample of the event loop's delay (prom-client reads and resets that
 * histogram at each scrape: read empty, its gauges would say min 9.2e9 s,
 * mean NaN); the garbage-collection histogram counts from then on.
 */
export class PrometheusMetrics {
  private readonly counts: EventCounts = { pingsSent: 0, pingsReceived: 0, rejections: new Map() };
  private registry: Promise<Registry> | undefined;

  constructor(private readonly sources: MetricsSources) {}

  /** Counts one event; called for every event the node emits. */
  record(event: NodeEvent): void {
    const { counts } = this;
    switch (event.event) {
      case 'ping_sent':
        counts.pingsSent += event.peers;
        break;
      case 'ping_received':
        counts.pingsReceived += 1;
        break;
      case 'peer_rejected':
        counts.rejections.set(event.reason, (counts.rejections.get(event.reason) ?? 0) + 1);
        break;
      default:
        break;
    }
  }

  /** The text of a scrape, and its content type. */
  async scrape(): Promise<{ readonly body: string; readonly contentType: string }> {
    this.registry ??= this.start();
    const registry = await this.registry;
    return { body: await registry.metrics(), contentType: registry.contentType };
  }

  private async start(): Promise<Registry> {
    const prom = this.sources.loadPromClient();
    const { members, storeStatus } = this.sources;
    const counts = this.counts;
    const registry = new prom.Registry();
    new prom.Gauge({
      name: 'p2p_gossip_peers',
      help: 'Known peers by state.',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const byState = new Map<MemberState, number>(STATES.map((state) => [state, 0]));
        for (const member of members().members) byState.set(member.state, (byState.get(member.state) ?? 0) + 1);
        for (const [state, count] of byState) this.set({ state }, count);
      },
    });
    new prom.Gauge({
      name: 'p2p_gossip_store_writable',
      help: 'Whether the peer store is written: 0 from a failed write until one succeeds again (the node runs on either way).',
      registers: [registry],
      collect() {
        this.set(storeStatus().writable ? 1 : 0);
      },
    });
    new prom.Gauge({
      name: 'p2p_gossip_store_failed_writes',
      help: 'Consecutive failed writes of the peer store; 0 while it is writable.',
      registers: [registry],
      collect() {
        this.set(storeStatus().failures);
      },
    });
    // The counters report the plain counts: reset, then set to the total, at each scrape.
    new prom.Counter({
      name: 'p2p_gossip_pings_sent_total',
      help: 'Pings sent, one per peer per round.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(counts.pingsSent);
      },
    });
    new prom.Counter({
      name: 'p2p_gossip_pings_received_total',
      help: 'Pings received from authenticated peers.',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(counts.pingsReceived);
      },
    });
    new prom.Counter({
      name: 'p2p_gossip_rejections_total',
      help: 'Connections refused at authentication or by the protocol, by reason.',
      labelNames: ['reason'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [reason, count] of counts.rejections) this.inc({ reason }, count);
      },
    });
    new prom.Histogram({
      name: 'p2p_gossip_peer_rtt_seconds',
      help: 'Round trip to connected peers: one sample per connected peer at each scrape, of its smoothed round trip.',
      buckets: RTT_BUCKETS,
      registers: [registry],
      collect() {
        for (const member of members().members) {
          if (member.rttMs !== null) this.observe(member.rttMs / 1000);
        }
      },
    });
    prom.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // Node's delay histogram records its first sample at the end of its second period.
    await new Promise((resolve) => setTimeout(resolve, 2 * EVENT_LOOP_SAMPLE_MS + 100).unref());
    return registry;
  }
}
