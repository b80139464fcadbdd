import type { Random } from '../../application/ports/random.port';

/**
 * A lost segment costs one retransmission timeout (Linux's minimum RTO). Losses
 * of the same segment do not back off exponentially here: the simulation
 * models a lossy link, not a congestion collapse.
 */
export const RETRANSMIT_TIMEOUT_MS = 200;

/**
 * The state of the simulated wire between machines: latency, loss and
 * partitions. Loss never breaks the Transport contract (delivery is reliable
 * and ordered per connection, as over TCP): a lost frame is retransmitted,
 * so loss shows as delay, which is what a failure detector must tolerate.
 * A partition is a cut cable: nothing crosses it, nothing is told.
 */
export class NetworkConditions {
  private baseLatencyMs = 0;
  private jitterMs = 0;
  private lossRate = 0;
  /** Group of each host while partitioned; hosts in no group form one group of their own. */
  private groups: Map<string, number> | undefined;

  constructor(private readonly random: Random) {}

  setLatency(baseMs: number, jitterMs = 0): void {
    if (!(baseMs >= 0) || !(jitterMs >= 0)) throw new RangeError(`latency must be >= 0, got ${baseMs} ± ${jitterMs}`);
    this.baseLatencyMs = baseMs;
    this.jitterMs = jitterMs;
  }

  /** Fraction of segments lost in [0, 1). */
  setLoss(rate: number): void {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`loss rate must be in [0, 1), got ${rate}`);
    this.lossRate = rate;
  }

  partition(groups: readonly (readonly string[])[]): void {
    const byHost = new Map<string, number>();
    groups.forEach((hosts, index) => {
      for (const host of hosts) byHost.set(host, index);
    });
    this.groups = byHost;
  }

  /** Puts a host on the side of another during a partition (a machine added to one side). */
  placeWith(host: string, sameSideAs: string): void {
    const side = this.groups?.get(sameSideAs);
    if (side !== undefined) this.groups?.set(host, side);
  }

  heal(): void {
    this.groups = undefined;
  }

  /** Whether the cable between two hosts is cut. */
  blocked(from: string, to: string): boolean {
    const groups = this.groups;
    if (groups === undefined || from === to) return false;
    return (groups.get(from) ?? -1) !== (groups.get(to) ?? -1);
  }

  /** One-way delay of one segment: latency, jitter, and a retransmission timeout per loss. */
  transitDelay(): number {
    let delay = this.baseLatencyMs;
    if (this.jitterMs > 0) delay += this.jitterMs * this.random.next();
    if (this.lossRate > 0) {
      while (this.random.next() < this.lossRate) delay += RETRANSMIT_TIMEOUT_MS;
    }
    return delay;
  }
}
