import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../../src/domain/connection';
import { HEARTBEAT, type Message } from '../../src/domain/messages';
import { heartbeatFor, noteSent, onEcho } from '../../src/domain/round-trip';
import { identityOf, ProtocolHarness } from './protocol-harness';

function mesh(harness: ProtocolHarness, count: number): string[] {
  const names = Array.from({ length: count }, (_, i) => `n${i}`);
  names.forEach((name, i) => harness.add(name, i === 0 ? [] : [names[i - 1] as string]));
  return names;
}

function roundTrips(harness: ProtocolHarness, names: readonly string[]): (number | undefined)[] {
  return names.flatMap((name) => harness.node(name).protocol.members().filter((m) => m.state === 'connected').map((m) => m.rttMs));
}

function connection(): Connection {
  return {
    id: 'c', peer: identityOf('peer'), direction: 'outbound', remoteHost: '127.0.0.1', openedAt: 0, hello: true,
    lastFrameAt: 0, lastSentAt: 0, priorSentAt: 0, framesReceived: 0, framesSent: 0, echoedAt: Number.NEGATIVE_INFINITY, rttMs: undefined, knowsLearned: 0, toSeed: false,
  };
}

describe('round trips', () => {
  it('measures twice the one-way latency to every connected peer, with no frame of its own', () => {
    const harness = new ProtocolHarness(3, 20);
    const names = mesh(harness, 4);
    const types = new Set<Message['t']>();
    harness.onSend = (_from, _to, message) => types.add(message.t);
    harness.run(20_000);
    assert.ok(harness.fullMesh());
    const rtts = roundTrips(harness, names);
    assert.equal(rtts.length, 12);
    assert.deepEqual(rtts, rtts.map(() => 40));
    const anyway: readonly Message['t'][] = ['hello', 'peers', 'sync', 'ping', 'hb'];
    assert.deepEqual([...types].filter((t) => !anyway.includes(t)), [], 'only the frames the protocol sends anyway');
  });

  it('stays within the round trips a jittery wire allows', () => {
    const harness = new ProtocolHarness(5, 10, {}, 10);
    const names = mesh(harness, 4);
    harness.run(60_000);
    const rtts = roundTrips(harness, names);
    assert.equal(rtts.length, 12);
    for (const rtt of rtts) assert.ok(rtt !== undefined && rtt >= 20 && rtt <= 40, `round trip ${rtt}`);
  });

  it('has a round trip within two heartbeats of connecting, and none for a peer that is not connected', () => {
    const harness = new ProtocolHarness(1, 5);
    const names = mesh(harness, 3);
    harness.run(2_100);
    assert.deepEqual(roundTrips(harness, names), Array.from({ length: 6 }, () => 10));
    harness.kill('n2');
    harness.run(1_000);
    for (const name of ['n0', 'n1']) {
      const lost = harness.node(name).protocol.members().find((m) => m.id === identityOf('n2'));
      assert.ok(lost && lost.state === 'disconnected' && lost.rttMs === undefined);
    }
  });

  it('takes a sample only from an echo of one of its last two frames, smoothed with a gain of 1/8', () => {
    const c = connection();
    for (let at = 1; at <= 10; at += 1) noteSent(c, at * 100);
    onEcho(c, 11, 0, 1_100);
    onEcho(c, 0, 0, 1_100);
    onEcho(c, 8, 0, 1_100);
    assert.equal(c.rttMs, undefined, 'no frame 11 or 0 was sent; frame 8 is older than the last two');
    assert.equal(c.lastSentAt, 1_000);
    onEcho(c, 10, 5, 1_015);
    assert.equal(c.rttMs, 10);
    onEcho(c, 9, 0, 1_000);
    assert.equal(c.rttMs, 10 + (100 - 10) / 8);
    onEcho(c, 10, 500, 1_010);
    assert.equal(c.rttMs, 10 + (100 - 10) / 8 - (10 + (100 - 10) / 8) / 8, 'a sample below zero counts as zero');
  });

  it('echoes on a heartbeat at most once per sample interval, and otherwise sends the one shared heartbeat', () => {
    const c = connection();
    assert.equal(heartbeatFor(c, 1_000, 5_000), HEARTBEAT, 'nothing received yet: nothing to echo');
    c.framesReceived = 3;
    c.lastFrameAt = 990;
    assert.deepEqual(heartbeatFor(c, 1_000, 5_000), { v: 1, t: 'hb', ack: 3, held: 10 });
    assert.equal(heartbeatFor(c, 2_000, 5_000), HEARTBEAT);
    assert.equal(heartbeatFor(c, 5_999, 5_000), HEARTBEAT);
    assert.deepEqual(heartbeatFor(c, 6_000, 5_000), { v: 1, t: 'hb', ack: 3, held: 5_010 });
    c.echoedAt = Number.NEGATIVE_INFINITY;
    assert.equal(heartbeatFor(c, 990 + 60_001, 5_000), HEARTBEAT, 'a frame held past the limit is not worth echoing');
  });
});
