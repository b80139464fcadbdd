import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { SystemClock } from '../../../src/adapters/system/system-clock';

/** Keeps the event loop busy, as a long GC pause or a SIGSTOP would. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
}

describe('SystemClock', () => {
  it('after a stall, reads the bytes already waiting before it runs an overdue timer', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    const client = connect(port, '127.0.0.1');
    const [accepted] = (await once(server, 'connection')) as [Socket];
    await once(client, 'connect');
    try {
      const order: string[] = [];
      client.on('data', () => order.push('data'));
      const clock = new SystemClock();
      const fired = new Promise<void>((resolve) => clock.setTimer(20, () => {
        order.push('timer');
        resolve();
      }));
      accepted.write('heartbeat');
      stall(100);
      await fired;
      assert.deepEqual(order, ['data', 'timer']);
    } finally {
      client.destroy();
      accepted.destroy();
      server.close();
    }
  });

  it('never runs a cleared timer, cleared before or after it fell due', async () => {
    const clock = new SystemClock();
    let runs = 0;
    const early = clock.setTimer(5, () => (runs += 1));
    clock.clearTimer(early);
    const late = clock.setTimer(5, () => (runs += 1));
    stall(20);
    // The timeout has fallen due but its callback waits for the next turn: clearing now still wins.
    setTimeout(() => clock.clearTimer(late), 0);
    await new Promise<void>((resolve) => clock.setTimer(30, resolve));
    assert.equal(runs, 0);
  });
});
