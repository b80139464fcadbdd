import type { NodeEvent } from '../../domain/events';
import type { Output } from '../../application/ports/output.port';

/** One event as a node emitted it, stamped with fake time (epoch ms). */
export interface RecordedEvent {
  readonly at: number;
  readonly event: NodeEvent;
}

export type EventListener = (event: NodeEvent, at: number) => void;

/**
 * Records the events of one simulated node, and tells a listener of each as it
 * happens. `retain: false` keeps nothing (large benchmarks only listen).
 */
export class RecordingOutput implements Output {
  private readonly recorded: RecordedEvent[] = [];

  constructor(
    private readonly listener: EventListener,
    private readonly retain: boolean,
  ) {}

  get events(): readonly RecordedEvent[] {
    return this.recorded;
  }

  emit(event: NodeEvent, at: Date): void {
    const time = at.getTime();
    if (this.retain) this.recorded.push({ at: time, event });
    this.listener(event, time);
  }
}
