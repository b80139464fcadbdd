import type { SimulatedNode } from '../../src/adapters/simulation/simulated-node';
import type { NodeEvent, NodeEventName } from '../../src/domain/events';

/** One event of one kind, with the fake time it was emitted at. */
export interface Stamped<K extends NodeEventName> {
  readonly at: number;
  readonly event: Extract<NodeEvent, { event: K }>;
}

/** The events of one kind a node emitted, optionally from an instant on. */
export function eventsOf<K extends NodeEventName>(node: SimulatedNode, name: K, since = Number.NEGATIVE_INFINITY): Stamped<K>[] {
  const found: Stamped<K>[] = [];
  for (const recorded of node.events) {
    if (recorded.event.event === name && recorded.at >= since) found.push(recorded as Stamped<K>);
  }
  return found;
}

/** Short form of a node's events for failure messages. */
export function describeEvents(node: SimulatedNode, limit = 40): string {
  const lines = node.events.slice(-limit).map(({ at, event }) => `  ${new Date(at).toISOString()} ${JSON.stringify(event)}`);
  return `${node.name} (${node.status}), last ${lines.length} events:\n${lines.join('\n')}`;
}
