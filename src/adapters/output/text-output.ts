import { inject, injectable } from 'inversify';
import type { Output } from '../../application/ports/output.port';
import type { NodeEvent, PeerRejectedEvent } from '../../domain/events';
import { shortIdentity } from '../../domain/identity';
import type { Tags } from '../../domain/tags';
import { printable } from './printable';
import { EventSink, type TextSink } from './text-sink';

/** For people: the ISO timestamp, then one short sentence; peers by their short identity. */
@injectable()
export class TextOutput implements Output {
  constructor(@inject(EventSink) private readonly sink: TextSink) {}

  emit(event: NodeEvent, at: Date): void {
    this.sink.write(`${at.toISOString()} ${sentence(event)}\n`);
  }
}

function sentence(event: NodeEvent): string {
  switch (event.event) {
    case 'listening':
      // Our own identity whole: it is what people copy into an allowlist.
      return `listening on ${event.address} as ${event.id} (advertising ${event.advertise})${event.admin === undefined ? '' : `, admin API on ${event.admin}`}${Object.keys(event.tags).length === 0 ? '' : `, tags ${tagList(event.tags)}`}`;
    case 'peer_connected':
      return `${event.reconnect ? 'reconnected' : 'connected'} to ${shortIdentity(event.peer)} (${event.address}, ${event.direction})${Object.keys(event.tags).length === 0 ? '' : `, tags ${tagList(event.tags)}`}`;
    case 'peer_disconnected':
      return `disconnected from ${shortIdentity(event.peer)} (${event.address}): ${printable(event.reason)}`;
    case 'peer_dead':
      return `${shortIdentity(event.peer)} (${event.address}) is dead: silent for ${(event.silentMs / 1000).toFixed(1)} s`;
    case 'peer_left':
      return `${shortIdentity(event.peer)} (${event.address}) left`;
    case 'peer_rejected':
      return rejection(event);
    case 'ping_sent':
      return `sent ping to ${event.peers} ${event.peers === 1 ? 'peer' : 'peers'}: ${printable(event.message)}`;
    case 'ping_received':
      return `received ping from ${shortIdentity(event.peer)} (${event.address}): ${printable(event.message)}`;
    case 'peer_updated':
      return `${shortIdentity(event.peer)} (${event.address}) changed its tags: ${Object.keys(event.tags).length === 0 ? 'none' : tagList(event.tags)}`;
  }
}

/** `role=db zone=eu-1`, for people; values are peers' text, so made printable. */
export function tagList(tags: Tags): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${printable(value)}`)
    .join(' ');
}

function rejection(event: PeerRejectedEvent): string {
  const details = [
    event.expected === undefined ? undefined : `expected ${shortIdentity(event.expected)}`,
    event.presented === undefined ? undefined : `presented ${shortIdentity(event.presented)}`,
    event.detail === undefined ? undefined : printable(event.detail),
  ].filter((detail) => detail !== undefined);
  const suffix = details.length === 0 ? '' : ` (${details.join(', ')})`;
  return `rejected ${printable(event.address)}: ${event.reason}${suffix}`;
}
