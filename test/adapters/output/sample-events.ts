import type { Address } from '../../../src/domain/address';
import type { NodeEvent, NodeEventName } from '../../../src/domain/events';
import type { Identity } from '../../../src/domain/identity';

export const ME = '3f9a1c2e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8' as Identity;
export const PEER = '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9' as Identity;
export const ADDRESS = '127.0.0.1:8081' as Address;
export const AT = new Date('2026-11-26T10:00:00.000Z');

/** One event of every type, with every optional field. */
export const SAMPLE_EVENTS: { readonly [Name in NodeEventName]: Extract<NodeEvent, { event: Name }> } = {
  listening: { event: 'listening', id: ME, address: '0.0.0.0:8080', advertise: '127.0.0.1:8080', tags: {} },
  peer_connected: { event: 'peer_connected', peer: PEER, address: ADDRESS, direction: 'outbound', reconnect: false, tags: {} },
  peer_disconnected: { event: 'peer_disconnected', peer: PEER, address: ADDRESS, reason: 'closed by peer' },
  peer_dead: { event: 'peer_dead', peer: PEER, address: ADDRESS, silentMs: 5210 },
  peer_left: { event: 'peer_left', peer: PEER, address: ADDRESS },
  peer_rejected: { event: 'peer_rejected', address: ADDRESS, reason: 'identity_mismatch', expected: ME, presented: PEER },
  ping_sent: { event: 'ping_sent', peers: 2, message: 'hello' },
  ping_received: { event: 'ping_received', peer: PEER, address: ADDRESS, message: 'hello' },
  peer_updated: { event: 'peer_updated', peer: PEER, address: ADDRESS, tags: { role: 'db', zone: 'eu-1' } },
};
