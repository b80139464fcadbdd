import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimerTable } from '../../src/domain/timer-table';

describe('timer table', () => {
  it('wakes at the earliest armed timer, and never when none is', () => {
    const timers = new TimerTable();
    assert.equal(timers.next(), Number.POSITIVE_INFINITY);
    timers.set('ping', 500);
    timers.set('heartbeat', 100);
    assert.equal(timers.next(), 100);
    timers.stop('heartbeat');
    assert.equal(timers.next(), 500);
    timers.stopAll();
    assert.equal(timers.next(), Number.POSITIVE_INFINITY);
  });

  it('only ever moves a timer earlier with setEarliest', () => {
    const timers = new TimerTable();
    timers.setEarliest('sweep', 300);
    timers.setEarliest('sweep', 400);
    assert.equal(timers.get('sweep'), 300);
    timers.setEarliest('sweep', 200);
    assert.equal(timers.get('sweep'), 200);
    assert.ok(!timers.isDue('sweep', 199));
    assert.ok(timers.isDue('sweep', 200));
  });
});
