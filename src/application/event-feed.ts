import type { NodeEvent } from '../domain/events';
import type { Output } from './ports/output.port';

export type EventListener = (event: NodeEvent, at: Date) => void;

/**
 * Every event the node emits, handed on to whoever listens now (the admin
 * API's event streams, the metrics). An Output like the others: it never
 * blocks, and a listener that throws is dropped, not the node.
 */
export class EventFeed implements Output {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly next?: Output) {}

  emit(event: NodeEvent, at: Date): void {
    this.next?.emit(event, at);
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
