import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBunyanLogger } from '../../../src/adapters/logging/bunyan-logger';
import { BufferSink } from '../../support/buffer-sink';

function records(sink: BufferSink): Record<string, unknown>[] {
  return sink.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('bunyan logger', () => {
  it('writes one bunyan JSON record per line, named p2p-gossip, with the fields', () => {
    const sink = new BufferSink();
    createBunyanLogger(sink, 'info').info({ peer: 'abc' }, 'connected');
    const [record] = records(sink);
    assert.equal(record?.['name'], 'p2p-gossip');
    assert.equal(record?.['msg'], 'connected');
    assert.equal(record?.['peer'], 'abc');
    assert.equal(record?.['level'], 30);
    assert.equal(record?.['v'], 0);
  });

  it('drops records below the level', () => {
    const sink = new BufferSink();
    const logger = createBunyanLogger(sink, 'warn');
    logger.info({}, 'quiet');
    logger.warn({}, 'loud');
    assert.deepEqual(records(sink).map((record) => record['msg']), ['loud']);
  });

  it('trace lets everything through', () => {
    const sink = new BufferSink();
    createBunyanLogger(sink, 'trace').trace({}, 'detail');
    assert.equal(records(sink).length, 1);
  });

  it('text format: one readable line per record with time, level, message and fields, no stack', () => {
    const sink = new BufferSink();
    const logger = createBunyanLogger(sink, 'info', 'text');
    logger.warn({ peer: 'abc', address: '127.0.0.1:8080', note: 'two words' }, 'peer_dead');
    logger.error({ err: new Error('disk full') }, 'cannot write');
    assert.equal(sink.lines.length, 2);
    assert.match(sink.lines[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z WARN {2}peer_dead peer=abc address=127\.0\.0\.1:8080 note="two words"$/);
    assert.match(sink.lines[1] ?? '', /Z ERROR cannot write err="disk full"$/);
  });

  it('off prints nothing, not even errors', () => {
    const sink = new BufferSink();
    createBunyanLogger(sink, 'off').error({}, 'failure');
    assert.equal(sink.text, '');
  });

  it('renders an error under err with its message and stack', () => {
    const sink = new BufferSink();
    createBunyanLogger(sink, 'info').warn({ err: new Error('boom') }, 'failed');
    const err = records(sink)[0]?.['err'] as { message?: string; stack?: string } | undefined;
    assert.equal(err?.message, 'boom');
    assert.match(err?.stack ?? '', /Error: boom/);
  });
});
