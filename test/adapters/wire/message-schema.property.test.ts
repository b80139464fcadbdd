import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeMessage } from '../../../src/adapters/wire/frame-codec';
import { parseAddress } from '../../../src/domain/address';
import { utf8Bytes } from '../../../src/domain/utf8';
import { isIdentity } from '../../../src/domain/identity';
import { LIMITS, type Message } from '../../../src/domain/messages';
import { type Tags, tagsProblem } from '../../../src/domain/tags';
import { SAMPLE_MESSAGES } from './message-samples';

function assertSoundTags(tags: Tags | undefined): void {
  if (tags === undefined) return;
  assert.equal(tagsProblem(tags), undefined);
  assert.ok(Object.values(tags).every((value) => typeof value === 'string'));
}

function assertSoundEcho(message: { readonly ack?: number; readonly held?: number }): void {
  assert.equal(message.ack === undefined, message.held === undefined);
  if (message.ack !== undefined) assert.ok(Number.isSafeInteger(message.ack) && message.ack >= 1);
  if (message.held !== undefined) assert.ok(Number.isFinite(message.held) && message.held >= 0 && message.held <= LIMITS.maxEchoHeldMs);
}

/** What the domain relies on in any message the codec lets through. */
function assertSound(message: Message): void {
  assert.equal(message.v, 1);
  switch (message.t) {
    case 'hello':
      assert.ok(isIdentity(message.id));
      assert.ok(Number.isInteger(message.port) && message.port >= 1 && message.port <= 65535);
      assert.match(message.digest, /^[0-9a-f]{16}$/);
      assertSoundTags(message.tags);
      break;
    case 'peers':
      assert.ok(message.peers.length <= LIMITS.maxListEntries);
      for (const entry of message.peers) {
        assert.ok(isIdentity(entry.id));
        assert.equal(parseAddress(entry.addr), entry.addr);
      }
      assert.equal(typeof message.ask, 'boolean');
      break;
    case 'sync':
      assert.match(message.digest, /^[0-9a-f]{16}$/);
      break;
    case 'ping':
      assert.ok(Number.isSafeInteger(message.seq) && message.seq >= 0);
      assert.ok(typeof message.message === 'string' && utf8Bytes(message.message) <= LIMITS.maxPingMessageBytes);
      assertSoundEcho(message);
      break;
    case 'hb':
      assertSoundEcho(message);
      break;
    case 'leave':
      break;
    case 'tags':
      assertSoundTags(message.tags);
      break;
  }
}

const anyValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.string({ maxLength: 2000 }), fc.integer(), fc.double());

describe('every message schema (properties)', () => {
  it('never throws on any one field of any message replaced, removed or added, and lets through only sound messages', () => {
    const sample = fc.constantFrom(...SAMPLE_MESSAGES);
    const mutation = fc.record({ key: fc.oneof(fc.constantFrom('v', 't', 'id', 'port', 'host', 'digest', 'peers', 'ask', 'seq', 'message', 'addr', 'tags', 'ack', 'held'), fc.string()), value: anyValue });
    fc.assert(
      fc.property(sample, mutation, fc.boolean(), (message, { key, value }, inEntry) => {
        const json = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
        const target = inEntry && Array.isArray(json['peers']) && json['peers'].length > 0 ? (json['peers'][0] as Record<string, unknown>) : json;
        if (value === undefined) delete target[key];
        else target[key] = value;
        const result = decodeMessage(json);
        if (result.ok) assertSound(result.message);
      }),
      { numRuns: 2000 },
    );
  });
});
