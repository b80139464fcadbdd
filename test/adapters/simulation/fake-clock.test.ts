import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FAKE_EPOCH_MS, FakeClock } from '../../../src/adapters/simulation/fake-clock';
import { ScopedClock } from '../../../src/adapters/simulation/scoped-clock';

test('timers fire in time order, ties in the order they were set', () => {
  const clock = new FakeClock();
  const fired: string[] = [];
  clock.setTimer(20, () => fired.push('b@20'));
  clock.setTimer(10, () => fired.push('a@10'));
  clock.setTimer(20, () => fired.push('c@20'));
  clock.setTimer(0, () => fired.push('now'));
  clock.advance(20);
  assert.deepEqual(fired, ['now', 'a@10', 'b@20', 'c@20']);
  assert.equal(clock.now(), FAKE_EPOCH_MS + 20);
});

test('a timer set by a timer fires in the same advance when due, at its own time', () => {
  const clock = new FakeClock();
  const fired: number[] = [];
  clock.setTimer(5, () => clock.setTimer(5, () => fired.push(clock.now() - FAKE_EPOCH_MS)));
  clock.advance(9);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, [10]);
});

test('a cleared timer never fires; clearing twice or after firing does nothing', () => {
  const clock = new FakeClock();
  let fired = 0;
  const handle = clock.setTimer(1, () => (fired += 1));
  clock.clearTimer(handle);
  clock.clearTimer(handle);
  const done = clock.setTimer(1, () => (fired += 10));
  clock.advance(5);
  clock.clearTimer(done);
  assert.equal(fired, 10);
});

test('advancing from inside a timer is refused', () => {
  const clock = new FakeClock();
  let caught: unknown;
  clock.setTimer(1, () => {
    try {
      clock.advance(1);
    } catch (error) {
      caught = error;
    }
  });
  clock.advance(1);
  assert.match(String(caught), /inside a timer callback/);
});

test('runUntil stops at the first instant the predicate holds, or at the deadline', () => {
  const clock = new FakeClock();
  let count = 0;
  for (const delay of [10, 10, 30, 50]) clock.setTimer(delay, () => (count += 1));
  assert.deepEqual(clock.runUntil(() => count >= 2, 100), { met: true, elapsedMs: 10 });
  assert.deepEqual(clock.runUntil(() => count >= 9, 100), { met: false, elapsedMs: 100 });
  assert.equal(count, 4);
});

test('a halted scoped clock fires none of its timers, and the shared clock carries on', () => {
  const clock = new FakeClock();
  const scoped = new ScopedClock(clock);
  const fired: string[] = [];
  scoped.setTimer(5, () => fired.push('scoped'));
  clock.setTimer(5, () => fired.push('shared'));
  scoped.halt();
  scoped.setTimer(1, () => fired.push('after halt'));
  clock.advance(10);
  assert.deepEqual(fired, ['shared']);
});
