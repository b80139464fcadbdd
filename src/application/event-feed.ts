import type { NodeEvent } from '../domain/events';
import type { Output } from './ports/output.port';

export type EventListener = (event: NodeEvent, at: Date) => void;

/**
 * Every event the node emits, handed on to whoever listens now (the admin
 * API's event streams, the metrics), besides the node's Output adapter. It
 * never blocks, and a listener that throws is dropped, not the node.
 */
export class EventFeed implements Output {
  private readonly listeners = new Set<EventListener>();

  emit(event: NodeEvent, at: Date): void {
    for (const listener of this.listeners) {
      try {
        listener(event, at);
      } catch {
        this.listeners.delete(listener);
      }
    }
  }

  /** Returns the function that ends the subscription. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
