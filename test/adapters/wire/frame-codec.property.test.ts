import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type Address, formatAddress, isValidHost } from '../../../src/domain/address';
import type { Identity } from '../../../src/domain/identity';
import { LIMITS, type Message } from '../../../src/domain/messages';
import { encodeFrame, FrameDecoder } from '../../../src/adapters/wire/frame-codec';

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

const identity = hex(64).map((text) => text as Identity);
const port = fc.integer({ min: 1, max: 65535 });
const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain()).filter(isValidHost);
const address = fc.tuple(host, port).map(([h, p]): Address => formatAddress(h, p));

/** Decoded messages are plain objects, so the generated ones must be too. */
const plain = { noNullPrototype: true } as const;

const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record(
    { v: fc.constant(1 as const), t: fc.constant('hello' as const), id: identity, port, host, digest: hex(16) },
    { requiredKeys: ['v', 't', 'id', 'port', 'digest'], noNullPrototype: true },
  ),
  fc.record({
    v: fc.constant(1 as const),
    t: fc.constant('peers' as const),
    peers: fc.array(fc.record({ id: identity, addr: address }, plain), { maxLength: 20 }),
    ask: fc.boolean(),
  }, plain),
  fc.record({ v: fc.constant(1 as const), t: fc.constant('sync' as const), digest: hex(16) }, plain),
  fc.record({
    v: fc.constant(1 as const),
    t: fc.constant('ping' as const),
    seq: fc.maxSafeNat(),
    message: fc.string({ unit: 'binary', maxLength: LIMITS.maxPingMessageBytes / 4 }),
  }, plain),
  fc.constant({ v: 1, t: 'hb' } as const),
  fc.record({ v: fc.constant(1 as const), t: fc.constant('hb' as const), ack: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), held: fc.double({ min: 0, max: LIMITS.maxEchoHeldMs, noNaN: true }) }, plain),
  fc.constant({ v: 1, t: 'leave' } as const),
  fc.record({ v: fc.constant(1 as const), t: fc.constant('tags' as const), tags: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9_.-]{1,64}$/), fc.string({ maxLength: 40 }), { maxKeys: 8, noNullPrototype: true }) }, plain),
);

/** Splits `bytes` at the given fractions of its length. */
function chunk(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let previous = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(previous, point));
    previous = point;
  }
  return chunks;
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { maxLength: 40 });

describe('frame decoder properties', () => {
  it('never throws on arbitrary bytes, and a failure is always its last result', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 10 }), (chunks) => {
        const decoder = new FrameDecoder();
        let failed = false;
        for (const bytes of chunks) {
          const results = decoder.push(bytes);
          if (failed) assert.deepEqual(results, []);
          results.forEach((result, index) => {
            if (!result.ok) {
              assert.equal(index, results.length - 1);
              assert.ok(['oversized', 'malformed', 'invalid'].includes(result.reason));
              failed = true;
            }
          });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on well-framed arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const body = Buffer.from(JSON.stringify(json) ?? 'null');
        const header = Buffer.alloc(4);
        header.writeUInt32BE(body.length, 0);
        const results = new FrameDecoder().push(Buffer.concat([header, body]));
        assert.equal(results.length, 1);
      }),
    );
  });

  it('delivers any valid messages, in order, however the stream is chunked', () => {
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), cuts, (messages, cutPoints) => {
        const stream = Buffer.concat(messages.map(encodeFrame));
        const decoder = new FrameDecoder();
        const received: Message[] = [];
        for (const piece of chunk(stream, cutPoints)) {
          for (const result of decoder.push(piece)) {
            assert.ok(result.ok, JSON.stringify(result));
            received.push(result.message);
          }
        }
        assert.deepEqual(received, messages);
        assert.equal(decoder.bufferedBytes, 0);
      }),
      { numRuns: 500 },
    );
  });
});
