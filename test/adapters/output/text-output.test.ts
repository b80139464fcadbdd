import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextOutput } from '../../../src/adapters/output/text-output';
import type { NodeEvent } from '../../../src/domain/events';
import { BufferSink } from '../../support/buffer-sink';
import { AT, ME, SAMPLE_EVENTS } from './sample-events';

function line(event: NodeEvent): string {
  const sink = new BufferSink();
  new TextOutput(sink).emit(event, AT);
  assert.ok(sink.text.endsWith('\n'));
  assert.equal(sink.lines.length, 1, sink.text);
  return sink.lines[0] ?? '';
}

describe('text output', () => {
  for (const event of Object.values(SAMPLE_EVENTS)) {
    it(`${event.event}: one line starting with the ISO timestamp`, () => {
      assert.match(line(event), /^2026-11-26T10:00:00\.000Z \S/);
    });
  }

  it('says what happened, in a short sentence', () => {
    const at = '2026-11-26T10:00:00.000Z';
    assert.equal(line(SAMPLE_EVENTS.listening), `${at} listening on 0.0.0.0:8080 as ${ME} (advertising 127.0.0.1:8080)`);
    assert.equal(line(SAMPLE_EVENTS.peer_connected), `${at} connected to 9a8b7c6d5e4f (127.0.0.1:8081, outbound)`);
    assert.equal(line({ ...SAMPLE_EVENTS.peer_connected, reconnect: true }), `${at} reconnected to 9a8b7c6d5e4f (127.0.0.1:8081, outbound)`);
    assert.equal(line({ ...SAMPLE_EVENTS.peer_connected, tags: { role: 'db' } }), `${at} connected to 9a8b7c6d5e4f (127.0.0.1:8081, outbound), tags role=db`);
    assert.equal(line(SAMPLE_EVENTS.peer_disconnected), `${at} disconnected from 9a8b7c6d5e4f (127.0.0.1:8081): closed by peer`);
    assert.equal(line(SAMPLE_EVENTS.peer_dead), `${at} 9a8b7c6d5e4f (127.0.0.1:8081) is dead: silent for 5.2 s`);
    assert.equal(line(SAMPLE_EVENTS.peer_left), `${at} 9a8b7c6d5e4f (127.0.0.1:8081) left`);
    assert.equal(line(SAMPLE_EVENTS.peer_rejected), `${at} rejected 127.0.0.1:8081: identity_mismatch (expected 3f9a1c2e4b5d, presented 9a8b7c6d5e4f)`);
    assert.equal(line({ event: 'peer_rejected', address: '10.0.0.9:40000', reason: 'timeout' }), `${at} rejected 10.0.0.9:40000: timeout`);
    assert.equal(line(SAMPLE_EVENTS.ping_sent), `${at} sent ping to 2 peers: hello`);
    assert.equal(line({ ...SAMPLE_EVENTS.ping_sent, peers: 1 }), `${at} sent ping to 1 peer: hello`);
    assert.equal(line(SAMPLE_EVENTS.ping_received), `${at} received ping from 9a8b7c6d5e4f (127.0.0.1:8081): hello`);
    assert.equal(line(SAMPLE_EVENTS.peer_updated), `${at} 9a8b7c6d5e4f (127.0.0.1:8081) changed its tags: role=db zone=eu-1`);
    assert.equal(
      line({ ...SAMPLE_EVENTS.listening, admin: '127.0.0.1:9000', tags: { role: 'db' } }),
      `${at} listening on 0.0.0.0:8080 as ${ME} (advertising 127.0.0.1:8080), admin API on 127.0.0.1:9000, tags role=db`,
    );
  });

  it('shows control characters from the network escaped, on one line', () => {
    const text = line({ ...SAMPLE_EVENTS.ping_received, message: 'a\nb\u001b[31mc\u007f' });
    assert.ok(text.endsWith(': a\\nb\\u001b[31mc\\u007f'), text);
    const rejected = line({ event: 'peer_rejected', address: '10.0.0.9:40000', reason: 'protocol', detail: 'bad\rframe' });
    assert.ok(rejected.endsWith('rejected 10.0.0.9:40000: protocol (bad\\rframe)'), rejected);
  });
});
