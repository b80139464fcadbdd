import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../../src/domain/address';
import { HEARTBEAT, LIMITS, type Message } from '../../../src/domain/messages';
import { TAG_LIMITS } from '../../../src/domain/tags';
import {
  type DecodeResult,
  decodeMessage,
  encodeFrame,
  FrameDecoder,
  FrameTooLargeError,
} from '../../../src/adapters/wire/frame-codec';
import { ALICE, SAMPLE_MESSAGES } from './message-samples';

function frameOf(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const header = Buffer.alloc(4);
  header.writeUInt32BE(bytes.length, 0);
  return Buffer.concat([header, bytes]);
}

function messagesOf(results: readonly DecodeResult<Message>[]): Message[] {
  return results.map((result) => {
    assert.ok(result.ok, `unexpected failure: ${JSON.stringify(result)}`);
    return result.message;
  });
}

function decodeOne(json: unknown): DecodeResult<Message> {
  return decodeMessage(json);
}

describe('frame codec', () => {
  it('round-trips every message type in one chunk', () => {
    const decoder = new FrameDecoder();
    const stream = Buffer.concat(SAMPLE_MESSAGES.map(encodeFrame));
    assert.deepEqual(messagesOf(decoder.push(stream)), SAMPLE_MESSAGES);
    assert.equal(decoder.bufferedBytes, 0);
  });

  it('round-trips when the stream arrives one byte at a time', () => {
    const decoder = new FrameDecoder();
    const stream = Buffer.concat(SAMPLE_MESSAGES.map(encodeFrame));
    const received: Message[] = [];
    for (let i = 0; i < stream.length; i++) received.push(...messagesOf(decoder.push(stream.subarray(i, i + 1))));
    assert.deepEqual(received, SAMPLE_MESSAGES);
  });

  it('writes a 4-byte big-endian length before the UTF-8 JSON', () => {
    const frame = encodeFrame({ v: 1, t: 'ping', seq: 1, message: 'é' });
    const json = '{"v":1,"t":"ping","seq":1,"message":"é"}';
    assert.equal(frame.readUInt32BE(0), Buffer.byteLength(json));
    assert.equal(frame.subarray(4).toString('utf8'), json);
  });

  it('refuses a 2 GiB length prefix as soon as its 4 bytes are in, buffering nothing', () => {
    const decoder = new FrameDecoder();
    const prefix = Buffer.from([0x80, 0x00, 0x00, 0x00]);
    for (let i = 0; i < 3; i++) assert.deepEqual(decoder.push(prefix.subarray(i, i + 1)), []);
    const results = decoder.push(prefix.subarray(3, 4));
    assert.equal(results.length, 1);
    assert.deepEqual({ ...results[0], detail: undefined }, { ok: false, reason: 'oversized', detail: undefined });
    assert.equal(decoder.bufferedBytes, 0);
    // Spent: the rest of the stream is ignored, not buffered.
    assert.deepEqual(decoder.push(Buffer.alloc(64 * 1024)), []);
    assert.equal(decoder.bufferedBytes, 0);
  });

  it('accepts a body of exactly maxFrameBytes and refuses one byte more', () => {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(LIMITS.maxFrameBytes, 0);
    const atLimit = new FrameDecoder();
    assert.deepEqual(atLimit.push(header), []);
    assert.equal(atLimit.bufferedBytes, 0);
    header.writeUInt32BE(LIMITS.maxFrameBytes + 1, 0);
    const [result] = new FrameDecoder().push(header);
    assert.equal(result?.ok === false && result.reason, 'oversized');
  });

  it('decodes a large peer list delivered in many small chunks', () => {
    const peers = Array.from({ length: LIMITS.maxListEntries }, (_, i) => ({
      id: ALICE,
      addr: `10.${(i >> 8) & 255}.${i & 255}.1:${1 + i}` as Address,
    }));
    const message = { v: 1, t: 'peers', ask: false, peers } as Message;
    const frame = encodeFrame(message);
    const decoder = new FrameDecoder();
    const received: Message[] = [];
    for (let i = 0; i < frame.length; i += 7) received.push(...messagesOf(decoder.push(frame.subarray(i, i + 7))));
    assert.deepEqual(received, [message]);
  });

  it('encodes the shared heartbeat once, and decodes its bytes to the heartbeat', () => {
    assert.equal(encodeFrame(HEARTBEAT), encodeFrame(HEARTBEAT));
    assert.deepEqual(encodeFrame(HEARTBEAT), encodeFrame({ v: 1, t: 'hb' }));
    const decoder = new FrameDecoder();
    const results = decoder.push(Buffer.concat([encodeFrame(HEARTBEAT), encodeFrame({ v: 1, t: 'hb', ack: 2, held: 3 }), encodeFrame(HEARTBEAT)]));
    assert.deepEqual(messagesOf(results), [{ v: 1, t: 'hb' }, { v: 1, t: 'hb', ack: 2, held: 3 }, { v: 1, t: 'hb' }]);
    const refusing = new FrameDecoder({ validate: () => ({ ok: false, reason: 'invalid', detail: 'no heartbeats here' }) });
    const [refused] = refusing.push(encodeFrame(HEARTBEAT));
    assert.equal(refused?.ok === false && refused.detail, 'no heartbeats here', 'the fast path answers what the decoder\'s own check would');
  });

  it('returns the messages before a bad frame, then the failure, then nothing more', () => {
    const decoder = new FrameDecoder();
    const good = encodeFrame({ v: 1, t: 'hb' });
    const results = decoder.push(Buffer.concat([good, frameOf('not json'), good]));
    assert.equal(results.length, 2);
    assert.deepEqual(results[0], { ok: true, message: { v: 1, t: 'hb' } });
    assert.equal(results[1]?.ok === false && results[1].reason, 'malformed');
    assert.deepEqual(decoder.push(good), []);
  });

  const malformed: Array<[string, Buffer]> = [
    ['an empty body', frameOf('')],
    ['truncated JSON', frameOf('{"v":1,"t":"hb"')],
    ['invalid UTF-8', frameOf(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['text that is not JSON', frameOf('GET / HTTP/1.1')],
  ];
  for (const [name, frame] of malformed) {
    it(`calls ${name} malformed`, () => {
      const [result] = new FrameDecoder().push(frame);
      assert.equal(result?.ok === false && result.reason, 'malformed');
    });
  }

  it('survives garbage such as an HTTP request or a TLS ClientHello', () => {
    for (const garbage of [
      Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
      Buffer.from('16030100f8010000f40303', 'hex'),
      Buffer.from([0, 0, 0, 3, 0xde, 0xad, 0xbe]),
    ]) {
      const results = new FrameDecoder().push(garbage);
      assert.ok(results.every((result) => !result.ok));
    }
  });

  it('refuses to encode a frame the peer would refuse', () => {
    const message = { v: 1, t: 'ping', seq: 1, message: 'x'.repeat(LIMITS.maxFrameBytes) } as Message;
    assert.throws(() => encodeFrame(message), FrameTooLargeError);
  });
});

describe('message schema', () => {
  it('normalises addresses to the canonical form of the domain', () => {
    const result = decodeOne({ v: 1, t: 'peers', ask: false, peers: [{ id: ALICE, addr: '10.0.0.1:0080' }] });
    assert.ok(result.ok);
    assert.equal(result.message.t === 'peers' && result.message.peers[0]?.addr, '10.0.0.1:80');
  });

  const hello = { v: 1, t: 'hello', id: ALICE, port: 8080, digest: '0123456789abcdef' };
  const invalid: Array<[string, unknown]> = [
    ['a non-object', 42],
    ['null', null],
    ['an unknown type', { v: 1, t: 'gossip' }],
    ['another version', { v: 2, t: 'hb' }],
    ['a missing version', { t: 'hb' }],
    ['an unknown key', { v: 1, t: 'hb', extra: true }],
    ['an upper-case identity', { ...hello, id: ALICE.toUpperCase() }],
    ['a short identity', { ...hello, id: 'abc' }],
    ['port 0', { ...hello, port: 0 }],
    ['port 65536', { ...hello, port: 65536 }],
    ['a fractional port', { ...hello, port: 80.5 }],
    ['a host of 254 characters', { ...hello, host: [63, 63, 63, 62].map((n) => 'a'.repeat(n)).join('.') }],
    ['a host with a space', { ...hello, host: 'bad host' }],
    ['a short digest', { ...hello, digest: 'abc' }],
    ['an upper-case digest', { ...hello, digest: '0123456789ABCDEF' }],
    ['a negative seq', { v: 1, t: 'ping', seq: -1, message: '' }],
    ['a fractional seq', { v: 1, t: 'ping', seq: 1.5, message: '' }],
    ['an unsafe seq', { v: 1, t: 'ping', seq: Number.MAX_SAFE_INTEGER + 1, message: '' }],
    ['a ping message of 4097 bytes', { v: 1, t: 'ping', seq: 1, message: 'x'.repeat(LIMITS.maxPingMessageBytes + 1) }],
    ['a ping message of 4098 bytes in 2049 characters', { v: 1, t: 'ping', seq: 1, message: 'é'.repeat(LIMITS.maxPingMessageBytes / 2 + 1) }],
    ['a peer address without a port', { v: 1, t: 'peers', ask: false, peers: [{ id: ALICE, addr: '10.0.0.1' }] }],
    ['a peer address with port 0', { v: 1, t: 'peers', ask: false, peers: [{ id: ALICE, addr: '10.0.0.1:0' }] }],
    ['a peer entry with an extra key', { v: 1, t: 'peers', ask: false, peers: [{ id: ALICE, addr: '10.0.0.1:1', x: 1 }] }],
    [
      'a peer list one entry too long',
      { v: 1, t: 'peers', ask: false, peers: Array(LIMITS.maxListEntries + 1).fill({ id: ALICE, addr: 'a:1' }) },
    ],
    ['an auth frame (transport-internal, not a message)', { v: 1, t: 'auth' }],
    ['a tag key with a space', { ...hello, tags: { 'bad key': 'x' } }],
    ['an empty tag key', { v: 1, t: 'tags', tags: { '': 'x' } }],
    ['a tag key of 65 characters', { v: 1, t: 'tags', tags: { ['k'.repeat(65)]: 'x' } }],
    ['a tag value that is not text', { v: 1, t: 'tags', tags: { role: 1 } }],
    ['a tag value of 257 bytes', { v: 1, t: 'tags', tags: { role: 'x'.repeat(TAG_LIMITS.maxValueBytes + 1) } }],
    ['a tag value of 86 characters and 258 bytes', { v: 1, t: 'tags', tags: { role: '€'.repeat(86) } }],
    ['33 tags', { v: 1, t: 'tags', tags: Object.fromEntries(Array.from({ length: TAG_LIMITS.maxTags + 1 }, (_, i) => [`k${i}`, ''])) }],
    ['tags of more than 2 KiB in all', { v: 1, t: 'tags', tags: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'.repeat(250)])) }],
    ['tags that are a list', { ...hello, tags: ['role=db'] }],
    ['a tags message without tags', { v: 1, t: 'tags' }],
    ['a tags message with an unknown key', { v: 1, t: 'tags', tags: {}, extra: 1 }],
    ['an echo without held', { v: 1, t: 'hb', ack: 1 }],
    ['an echo without ack', { v: 1, t: 'ping', seq: 1, message: '', held: 1 }],
    ['an echo of frame 0', { v: 1, t: 'hb', ack: 0, held: 1 }],
    ['a fractional ack', { v: 1, t: 'hb', ack: 1.5, held: 1 }],
    ['a negative held', { v: 1, t: 'hb', ack: 1, held: -1 }],
    ['a held past the limit', { v: 1, t: 'hb', ack: 1, held: LIMITS.maxEchoHeldMs + 1 }],
    ['a held that is not a number', { v: 1, t: 'hb', ack: 1, held: '1' }],
  ];
  for (const [name, json] of invalid) {
    it(`rejects ${name}`, () => {
      const result = decodeOne(json);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, 'invalid');
    });
  }

  it('accepts a ping message of exactly 1024 characters and a host of 253', () => {
    assert.ok(decodeOne({ v: 1, t: 'ping', seq: 1, message: 'x'.repeat(LIMITS.maxPingMessageBytes) }).ok);
    const host = [63, 63, 63, 61].map((n) => 'a'.repeat(n)).join('.');
    assert.equal(host.length, 253);
    assert.ok(decodeOne({ ...hello, host }).ok);
  });

  it('names the offending field in the failure detail', () => {
    const result = decodeOne({ ...hello, port: 0 });
    assert.ok(!result.ok && result.detail.startsWith('port'));
  });
});
