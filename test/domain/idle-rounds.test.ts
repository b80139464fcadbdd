import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEARTBEAT, type Message } from '../../src/domain/messages';
import { ProtocolHarness } from './protocol-harness';

interface Sent {
  readonly from: string;
  readonly to: string;
  readonly message: Message;
  readonly at: number;
}

/** Nodes started at scattered instants, meshed, then watched for `watchMs` of idle time. */
function idleMesh(count: number, watchMs: number): Sent[] {
  const harness = new ProtocolHarness(11, 1);
  for (let i = 0; i < count; i += 1) {
    harness.run(137 * i + 1);
    harness.add(`n${i}`, i === 0 ? [] : ['n0']);
  }
  harness.run(15_000);
  assert.ok(harness.fullMesh());
  const sent: Sent[] = [];
  harness.onSend = (from, to, message, at) => sent.push({ from, to, message, at });
  harness.run(watchMs);
  return sent;
}

describe('idle rounds', () => {
  it('sends its rounds at the wall clock\'s multiples of the interval, whenever each node started', () => {
    const rounds = idleMesh(4, 20_000).filter(({ message }) => message.t === 'hb' || message.t === 'ping');
    assert.ok(rounds.length > 0);
    assert.deepEqual(rounds.filter(({ at }) => at % 1_000 !== 0), []);
  });

  it('owes one frame per heartbeat interval each way on an idle connection: the ping stands in for its second\'s heartbeat', () => {
    const watchMs = 60_000;
    const sent = idleMesh(4, watchMs);
    const routes = new Map<string, Sent[]>();
    for (const frame of sent.filter(({ message }) => message.t === 'hb' || message.t === 'ping')) {
      const route = `${frame.from}→${frame.to}`;
      routes.set(route, [...(routes.get(route) ?? []), frame]);
    }
    assert.equal(routes.size, 12);
    for (const [route, frames] of routes) {
      // One per second; a sync or peer list sent just before a round makes that round's heartbeat unnecessary.
      assert.ok(frames.length <= watchMs / 1_000 && frames.length >= watchMs / 1_000 - 6, `${route}: ${frames.length} rounds`);
      assert.equal(new Set(frames.map(({ at }) => at)).size, frames.length, `${route}: two frames in one round`);
      assert.deepEqual(frames.filter(({ at, message }) => at % 5_000 === 0 && message.t !== 'ping'), [], `${route}: a heartbeat beside the ping`);
    }
  });

  it('sends the one shared heartbeat object once every connection has had its first ping', () => {
    const heartbeats = idleMesh(4, 30_000).filter(({ message }) => message.t === 'hb');
    assert.ok(heartbeats.length > 0);
    assert.deepEqual(heartbeats.filter(({ message }) => message !== HEARTBEAT), []);
  });
});
