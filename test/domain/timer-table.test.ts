import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRound, TimerTable } from '../../src/domain/timer-table';

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

  it('puts the next round at the next multiple of its interval since the epoch, strictly after now', () => {
    assert.equal(nextRound(0, 1_000), 1_000);
    assert.equal(nextRound(1, 1_000), 1_000);
    assert.equal(nextRound(999.5, 1_000), 1_000);
    assert.equal(nextRound(1_000, 1_000), 2_000);
    assert.equal(nextRound(1_764_633_600_123, 5_000), 1_764_633_605_000);
    for (const [now, every] of [[0.3, 0.1], [10, 1.5], [7, 0.7], [1e12 + 0.5, 0.25]] as const) {
      const at = nextRound(now, every);
      assert.ok(at > now && at - now <= every + 1e-9, `${now} every ${every}: ${at}`);
    }
  });
});
