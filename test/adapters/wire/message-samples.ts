import type { Address } from '../../../src/domain/address';
import type { Identity } from '../../../src/domain/identity';
import type { Message } from '../../../src/domain/messages';

/** One valid message of every type, for codec and transport tests. */
export const ALICE = 'a'.repeat(64) as Identity;
export const BOB = `${'0123456789abcdef'.repeat(4)}` as Identity;

export const SAMPLE_MESSAGES: readonly Message[] = [
  { v: 1, t: 'hello', id: ALICE, port: 8080, digest: '0123456789abcdef' },
  { v: 1, t: 'hello', id: BOB, port: 1, host: 'node-1.example.org', digest: 'ffffffffffffffff' },
  { v: 1, t: 'hello', id: ALICE, port: 8080, digest: '0123456789abcdef', tags: { role: 'db', 'zone.name': 'eu-1', empty: '' } },
  {
    v: 1,
    t: 'peers',
    ask: true,
    peers: [
      { id: ALICE, addr: '10.0.0.1:8080' as Address },
      { id: BOB, addr: '[::1]:65535' as Address },
    ],
  },
  { v: 1, t: 'peers', ask: false, peers: [] },
  { v: 1, t: 'sync', digest: '00000000deadbeef' },
  { v: 1, t: 'ping', seq: 0, message: '' },
  { v: 1, t: 'ping', seq: Number.MAX_SAFE_INTEGER, message: 'héllo 🌍 "quoted" \\ \n' },
  { v: 1, t: 'ping', seq: 7, message: 'ping 7', ack: 12, held: 999 },
  { v: 1, t: 'hb' },
  { v: 1, t: 'hb', ack: 1, held: 0 },
  { v: 1, t: 'hb', ack: Number.MAX_SAFE_INTEGER, held: 0.25 },
  { v: 1, t: 'leave' },
  { v: 1, t: 'tags', tags: { role: 'cache' } },
  { v: 1, t: 'tags', tags: {} },
];
