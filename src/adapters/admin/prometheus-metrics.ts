import type { NodeEvent } from '../../domain/events';
import type { Identity } from '../../domain/identity';
import type { MembersSnapshot, MemberState } from '../../application/node-admin';
import type { PeerStoreStatus } from '../../application/peer-store-writer';

type PromClient = typeof import('prom-client');

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

/**
 * The node's Prometheus metrics, in a registry of its own (never prom-client's
 * global one, so that several embedded nodes can live in one process), fed by
 * the same events as the output adapters; the peer and store gauges are read
 * at scrape time.
 *
 * prom-client's default process metrics start at the first scrape, not
 * before: two of them sample all the time (the event loop's delay, on a
 * timer, and every garbage collection, through a performance observer), and
 * a node nobody scrapes should not pay for them (admin-idle benchmark: about
 * 0.04 points of a core per idle process). The first scrape starts them and
 * waits (about 2 s) for the first sample of the event loop's delay (prom-client reads
 * and resets that histogram at each scrape: read empty, its gauges would say
 * min 9.2e9 s, mean NaN); the garbage-collection histogram counts from then on.
 */
export class PrometheusMetrics {
  readonly contentType: string;
  private readonly registry;
  private readonly pingsSent;
  private readonly pingsReceived;
  private readonly rejections;
  private readonly rtt;
  private defaultMetrics: Promise<void> | undefined;

  constructor(
    private readonly prom: PromClient,
    members: () => MembersSnapshot,
    private readonly rttMsOf: (peer: Identity) => number | undefined,
    storeStatus: () => PeerStoreStatus,
  ) {
    this.registry = new prom.Registry();
    this.contentType = this.registry.contentType;
    new prom.Gauge({
      name: 'p2p_gossip_peers',
      help: 'Known peers by state.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const counts = new Map<MemberState, number>(STATES.map((state) => [state, 0]));
        for (const member of members().members) counts.set(member.state, (counts.get(member.state) ?? 0) + 1);
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
    new prom.Gauge({
      name: 'p2p_gossip_store_writable',
      help: 'Whether the peer store is written: 0 from a failed write until one succeeds again (the node runs on either way).',
      registers: [this.registry],
      collect() {
        this.set(storeStatus().writable ? 1 : 0);
      },
    });
    new prom.Gauge({
      name: 'p2p_gossip_store_failed_writes',
      help: 'Consecutive failed writes of the peer store; 0 while it is writable.',
      registers: [this.registry],
      collect() {
        this.set(storeStatus().failures);
      },
    });
    this.pingsSent = new prom.Counter({ name: 'p2p_gossip_pings_sent_total', help: 'Pings sent, one per peer per round.', registers: [this.registry] });
    this.pingsReceived = new prom.Counter({ name: 'p2p_gossip_pings_received_total', help: 'Pings received from authenticated peers.', registers: [this.registry] });
    this.rejections = new prom.Counter({
      name: 'p2p_gossip_rejections_total',
      help: 'Connections refused at authentication or by the protocol, by reason.',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    this.rtt = new prom.Histogram({
      name: 'p2p_gossip_peer_rtt_seconds',
      help: 'Round trip to connected peers, sampled at each ping received.',
      buckets: RTT_BUCKETS,
      registers: [this.registry],
    });
  }

  /** Counts one event; called for every event the node emits. */
  record(event: NodeEvent): void {
    switch (event.event) {
      case 'ping_sent':
        this.pingsSent.inc(event.peers);
        break;
      case 'ping_received': {
        this.pingsReceived.inc();
        const rttMs = this.rttMsOf(event.peer);
        if (rttMs !== undefined) this.rtt.observe(rttMs / 1000);
        break;
      }
      case 'peer_rejected':
        this.rejections.inc({ reason: event.reason });
        break;
      default:
        break;
    }
  }

  async text(): Promise<string> {
    this.defaultMetrics ??= this.startDefaultMetrics();
    await this.defaultMetrics;
    return this.registry.metrics();
  }

  private startDefaultMetrics(): Promise<void> {
    this.prom.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // Node's delay histogram records its first sample at the end of its second period.
    return new Promise((resolve) => setTimeout(resolve, 2 * EVENT_LOOP_SAMPLE_MS + 100).unref());
  }
}
