import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonOutput } from '../../../src/adapters/output/json-output';
import type { NodeEvent } from '../../../src/domain/events';
import { BufferSink } from '../../support/buffer-sink';
import { AT, SAMPLE_EVENTS } from './sample-events';

/** The fields CONTRACT.md promises for each event, beyond ts and event. */
const CONTRACT_FIELDS: Record<NodeEvent['event'], string[]> = {
  listening: ['id', 'address', 'advertise', 'tags'],
  peer_connected: ['peer', 'address', 'direction', 'reconnect', 'tags'],
  peer_disconnected: ['peer', 'address', 'reason'],
  peer_dead: ['peer', 'address', 'silentMs'],
  peer_left: ['peer'],
  peer_rejected: ['address', 'reason', 'expected', 'presented'],
  ping_sent: ['peers', 'message'],
  ping_received: ['peer', 'address', 'message'],
  peer_updated: ['peer', 'address', 'tags'],
};

function emitted(event: NodeEvent): Record<string, unknown> {
  const sink = new BufferSink();
  new JsonOutput(sink).emit(event, AT);
  assert.ok(sink.text.endsWith('\n'));
  assert.equal(sink.lines.length, 1);
  return JSON.parse(sink.text) as Record<string, unknown>;
}

describe('JSON output', () => {
  for (const event of Object.values(SAMPLE_EVENTS)) {
    it(`${event.event}: one object on one line, ts and event first, the contract's fields`, () => {
      const record = emitted(event);
      assert.deepEqual(Object.keys(record).slice(0, 2), ['ts', 'event']);
      assert.equal(record['ts'], '2026-11-26T10:00:00.000Z');
      assert.equal(record['event'], event.event);
      for (const field of CONTRACT_FIELDS[event.event]) assert.ok(field in record, `${event.event} lacks ${field}`);
      assert.deepEqual(record, { ts: '2026-11-26T10:00:00.000Z', ...event });
    });
  }

  it('keeps identities whole', () => {
    const record = emitted(SAMPLE_EVENTS.peer_rejected);
    assert.match(String(record['expected']), /^[0-9a-f]{64}$/);
    assert.match(String(record['presented']), /^[0-9a-f]{64}$/);
  });

  it('keeps a message with a line break on one line', () => {
    const sink = new BufferSink();
    new JsonOutput(sink).emit({ ...SAMPLE_EVENTS.ping_sent, message: 'two\nlines' }, AT);
    assert.equal(sink.lines.length, 1);
    assert.equal((JSON.parse(sink.text) as { message: string }).message, 'two\nlines');
  });

  it('leaves out optional fields that are absent', () => {
    const record = emitted({ event: 'peer_rejected', address: '10.0.0.9:40000', reason: 'timeout' });
    assert.deepEqual(Object.keys(record), ['ts', 'event', 'address', 'reason']);
  });
});
