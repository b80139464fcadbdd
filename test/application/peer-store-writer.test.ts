import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeerStoreWriter } from '../../src/application/peer-store-writer';
import type { PeerStore, StoredPeer } from '../../src/application/ports/peer-store.port';
import { FakeClock } from '../../src/adapters/simulation/fake-clock';
import { RecordingLogger } from '../../src/adapters/simulation/recording-logger';

/** A store whose flushes fail while `failing` is set, counting every attempt and when it came. */
class FlakyStore implements PeerStore {
  failing = false;
  readonly attempts: number[] = [];

  constructor(private readonly clock: FakeClock) {}

  async load(): Promise<readonly StoredPeer[]> {
    return [];
  }

  remember(): void {}

  forget(): void {}

  async flush(): Promise<void> {
    this.attempts.push(this.clock.now());
    if (this.failing) throw new Error('peer store /d/peers.json cannot be written: ENOSPC: no space left on device');
  }
}

const OPTIONS = { delayMs: 1_000, retryInitialMs: 1_000, retryMaxMs: 8_000 };

function setUp(): { clock: FakeClock; store: FlakyStore; logger: RecordingLogger; writer: PeerStoreWriter; start: number } {
  const clock = new FakeClock();
  const store = new FlakyStore(clock);
  const logger = new RecordingLogger(() => clock.now(), 'debug');
  return { clock, store, logger, writer: new PeerStoreWriter(store, clock, logger, OPTIONS), start: clock.now() };
}

/** Lets the flush promises settle between fake-clock steps. */
async function advance(clock: FakeClock, ms: number, step = 250): Promise<void> {
  for (let passed = 0; passed < ms; passed += step) {
    clock.advance(Math.min(step, ms - passed));
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  }
}

function levels(logger: RecordingLogger, level: string): string[] {
  return logger.records.filter((record) => record.level === level).map((record) => record.message);
}

describe('the peer store writer', () => {
  it('batches changes into one write after the delay', async () => {
    const { clock, store, writer, start } = setUp();
    writer.changed();
    writer.changed();
    await advance(clock, 999, 333);
    assert.deepEqual(store.attempts, []);
    await advance(clock, 1);
    assert.deepEqual(store.attempts, [start + 1_000]);
    assert.equal(writer.status.writable, true);
  });

  it('retries a failing write with doubling delays up to the cap, warning once, and says once when it works again', async () => {
    const { clock, store, logger, writer, start } = setUp();
    store.failing = true;
    writer.changed();
    await advance(clock, 1_000);
    assert.equal(writer.status.writable, false);
    assert.equal(writer.status.failingSince, start + 1_000);
    assert.match(writer.status.lastError ?? '', /ENOSPC/);
    // Changes while failing wait for the pending retry: no extra attempts.
    writer.changed();
    await advance(clock, 30_000);
    const delays = store.attempts.slice(1).map((at, i) => at - (store.attempts[i] as number));
    assert.deepEqual(delays.slice(0, 5), [1_000, 2_000, 4_000, 8_000, 8_000]);
    assert.equal(writer.status.failures, store.attempts.length);
    assert.deepEqual(levels(logger, 'warn'), ['cannot write the peer store; running on with its last good file and retrying']);
    const [warning] = logger.records.filter((record) => record.level === 'warn');
    assert.deepEqual(warning?.fields, { error: 'peer store /d/peers.json cannot be written: ENOSPC: no space left on device', retryInMs: 1_000 }, 'one line, no stack');
    assert.equal(levels(logger, 'debug').length, store.attempts.length, 'each failure, with its stack, at debug');

    store.failing = false;
    await advance(clock, 8_000);
    assert.equal(writer.status.writable, true);
    assert.equal(writer.status.failures, 0);
    assert.equal(writer.status.lastError, undefined);
    assert.deepEqual(levels(logger, 'info'), ['the peer store is written again']);
    const attempts = store.attempts.length;
    await advance(clock, 60_000);
    assert.equal(store.attempts.length, attempts, 'no retries once it works');
    assert.equal(levels(logger, 'warn').length, 1);
  });

  it('a failing write at close resolves, warns once, and schedules nothing', async () => {
    const { clock, store, logger, writer } = setUp();
    store.failing = true;
    writer.changed();
    await writer.close();
    assert.equal(store.attempts.length, 1, 'the final write replaces the pending one');
    assert.deepEqual(levels(logger, 'warn'), ['cannot write the peer store; its last good file is kept']);
    await advance(clock, 60_000);
    assert.equal(store.attempts.length, 1);
    writer.changed();
    await advance(clock, 5_000);
    assert.equal(store.attempts.length, 1, 'closed: changes are no longer written');
  });

  it('a close while writes already fail adds no second warning', async () => {
    const { clock, store, logger, writer } = setUp();
    store.failing = true;
    writer.changed();
    await advance(clock, 1_000);
    await writer.close();
    assert.equal(store.attempts.length, 2);
    assert.equal(levels(logger, 'warn').length, 1);
  });
});
