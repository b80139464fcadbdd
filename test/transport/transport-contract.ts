import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AuthenticatedConnection, Transport } from '../../src/application/ports/transport.port';
import type { Address } from '../../src/domain/address';
import type { Identity } from '../../src/domain/identity';
import type { Message } from '../../src/domain/messages';
import { TransportRecorder } from './transport-recorder';

/** A transport under test, listening, its handlers recording. */
export interface ListeningTransport {
  readonly transport: Transport;
  readonly identity: Identity;
  /** Where peers dial it. */
  readonly address: Address;
}

/**
 * What the contract needs of one world, real or simulated. `settle` lets time
 * pass (real time, or the fake clock) until the predicate holds or
 * `deadlineMs` of that time have passed, and says whether it held.
 */
export interface TransportHarness {
  listen(recorder: TransportRecorder): Promise<ListeningTransport>;
  /** An address where a machine answers but nothing listens: dials are refused at once. */
  refusingAddress(): Promise<Address>;
  /**
   * An address where a host accepts the connection but never completes the
   * handshake (TCP accepted, no TLS): dials end only by timing out.
   */
  silentAddress(): Promise<Address>;
  settle(predicate: () => boolean, deadlineMs: number): Promise<boolean>;
  /** This world's time in ms, to measure how long a dial took. */
  now(): number;
  /** How long a dial to a silent address takes to fail. */
  readonly dialTimeoutMs: number;
  /** A generous bound on one round trip plus a handshake, as a deadline for ordinary steps. */
  readonly stepDeadlineMs: number;
  dispose(): Promise<void>;
}

export type TransportHarnessFactory = () => Promise<TransportHarness>;

function ping(seq: number): Message {
  return { v: 1, t: 'ping', seq, message: `ping ${seq}` };
}

const FENCE = { v: 1, t: 'ping', seq: 0, message: 'fence' } as const satisfies Message;

interface Pair {
  readonly harness: TransportHarness;
  readonly dialer: ListeningTransport;
  readonly acceptor: ListeningTransport;
  readonly dialerLog: TransportRecorder;
  readonly acceptorLog: TransportRecorder;
}

async function settleOrFail(harness: TransportHarness, predicate: () => boolean, what: string, deadlineMs = harness.stepDeadlineMs): Promise<void> {
  assert.ok(await harness.settle(predicate, deadlineMs), `timed out waiting until ${what}`);
}

function only(connections: AuthenticatedConnection[], side: string): AuthenticatedConnection {
  assert.equal(connections.length, 1, `${side} should report exactly one connection`);
  return connections[0] as AuthenticatedConnection;
}

/** Registers the Transport port's contract as node:test tests, for any world that can make transports. */
export function transportContract(name: string, createHarness: TransportHarnessFactory): void {
  async function withHarness(run: (harness: TransportHarness) => Promise<void>): Promise<void> {
    const harness = await createHarness();
    try {
      await run(harness);
    } finally {
      await harness.dispose();
    }
  }

  async function connectedPair(harness: TransportHarness): Promise<Pair & { outbound: AuthenticatedConnection; inbound: AuthenticatedConnection }> {
    const dialerLog = new TransportRecorder();
    const acceptorLog = new TransportRecorder();
    const dialer = await harness.listen(dialerLog);
    const acceptor = await harness.listen(acceptorLog);
    dialerLog.call(() => dialer.transport.dial(acceptor.address));
    await settleOrFail(harness, () => dialerLog.connections().length > 0 && acceptorLog.connections().length > 0, 'both ends are connected');
    const outbound = only(dialerLog.connections(), 'the dialler');
    const inbound = only(acceptorLog.connections(), 'the acceptor');
    return { harness, dialer, acceptor, dialerLog, acceptorLog, outbound, inbound };
  }

  function assertNeverReentrant(...recorders: TransportRecorder[]): void {
    for (const recorder of recorders) assert.deepEqual(recorder.reentrant, [], 'a handler was called from inside a Transport method');
  }

  /** A fresh connection's round trip: whatever the transport had to report before it, it has reported. */
  async function fence(pair: Pair): Promise<void> {
    const fresh = new TransportRecorder();
    const probe = await pair.harness.listen(fresh);
    fresh.call(() => probe.transport.dial(pair.acceptor.address));
    await settleOrFail(pair.harness, () => fresh.connections().length === 1, 'a fresh connection is up');
    const id = (fresh.connections()[0] as AuthenticatedConnection).id;
    fresh.call(() => probe.transport.send(id, FENCE));
    const arrived = (): boolean => pair.acceptorLog.records.some((r) => r.type === 'message' && r.message.t === 'ping' && r.message.message === FENCE.message);
    await settleOrFail(pair.harness, arrived, 'the fence ping arrived');
    await probe.transport.shutdown();
  }

  describe(`Transport contract: ${name}`, () => {
    test('both ends report connected with the identity the other proved, before any message', () =>
      withHarness(async (harness) => {
        const dialerLog = new TransportRecorder();
        const acceptorLog = new TransportRecorder();
        const dialer = await harness.listen(dialerLog);
        const acceptor = await harness.listen(acceptorLog);
        // Each side speaks the moment it is told of the connection.
        dialerLog.onConnected = (c) => dialerLog.call(() => dialer.transport.send(c.id, ping(1)));
        acceptorLog.onConnected = (c) => acceptorLog.call(() => acceptor.transport.send(c.id, ping(2)));
        dialerLog.call(() => dialer.transport.dial(acceptor.address));
        await settleOrFail(harness, () => dialerLog.messages(dialerLog.connections()[0]?.id ?? '').length === 1 && acceptorLog.messages(acceptorLog.connections()[0]?.id ?? '').length === 1, 'each side got the other\'s first message');
        const outbound = only(dialerLog.connections(), 'the dialler');
        const inbound = only(acceptorLog.connections(), 'the acceptor');
        assert.equal(outbound.peer, acceptor.identity);
        assert.equal(outbound.direction, 'outbound');
        assert.equal(outbound.dialed, acceptor.address);
        assert.equal(inbound.peer, dialer.identity);
        assert.equal(inbound.direction, 'inbound');
        for (const log of [dialerLog, acceptorLog]) {
          assert.deepEqual(log.records.map((r) => r.type), ['connected', 'message'], 'connected comes first');
        }
        assertNeverReentrant(dialerLog, acceptorLog);
      }));

    test('messages arrive in the order sent, on each connection, both ways', () =>
      withHarness(async (harness) => {
        const pair = await connectedPair(harness);
        const count = 200;
        pair.dialerLog.call(() => {
          for (let seq = 1; seq <= count; seq += 1) pair.dialer.transport.send(pair.outbound.id, ping(seq));
        });
        pair.acceptorLog.call(() => {
          for (let seq = 1; seq <= count; seq += 1) pair.acceptor.transport.send(pair.inbound.id, ping(seq));
        });
        await settleOrFail(harness, () => pair.acceptorLog.messages(pair.inbound.id).length === count && pair.dialerLog.messages(pair.outbound.id).length === count, `${count} messages arrived each way`);
        const expected = Array.from({ length: count }, (_, index) => ping(index + 1));
        assert.deepEqual(pair.acceptorLog.messages(pair.inbound.id), expected);
        assert.deepEqual(pair.dialerLog.messages(pair.outbound.id), expected);
        assertNeverReentrant(pair.dialerLog, pair.acceptorLog);
      }));

    for (const closer of ['dialler', 'acceptor'] as const) {
      test(`a close by the ${closer} is reported exactly once on both ends, after what was sent before it`, () =>
        withHarness(async (harness) => {
          const pair = await connectedPair(harness);
          const [closing, closingLog, closingId, other, otherLog, otherId] =
            closer === 'dialler'
              ? [pair.dialer, pair.dialerLog, pair.outbound.id, pair.acceptor, pair.acceptorLog, pair.inbound.id]
              : [pair.acceptor, pair.acceptorLog, pair.inbound.id, pair.dialer, pair.dialerLog, pair.outbound.id];
          closingLog.call(() => {
            closing.transport.send(closingId, ping(1));
            closing.transport.close(closingId);
            closing.transport.close(closingId);
            closing.transport.send(closingId, ping(2));
          });
          await settleOrFail(harness, () => closingLog.closes(closingId).length > 0 && otherLog.closes(otherId).length > 0, 'both ends report the close');
          otherLog.call(() => other.transport.send(otherId, ping(3)));
          await fence(pair);
          assert.deepEqual(closingLog.closes(closingId).map((cause) => cause.kind), ['local']);
          assert.equal(otherLog.closes(otherId).length, 1, 'closed exactly once on the other end');
          assert.notEqual(otherLog.closes(otherId)[0]?.kind, 'local');
          assert.deepEqual(otherLog.messages(otherId), [ping(1)], 'what was sent before close arrives; nothing after');
          assert.deepEqual(closingLog.messages(closingId), []);
          assertNeverReentrant(pair.dialerLog, pair.acceptorLog);
        }));
    }

    test('a dial to an address where nothing listens fails as unreachable', () =>
      withHarness(async (harness) => {
        const log = new TransportRecorder();
        const dialer = await harness.listen(log);
        const nowhere = await harness.refusingAddress();
        log.call(() => dialer.transport.dial(nowhere));
        await settleOrFail(harness, () => log.dialFailures().length > 0, 'the dial fails');
        assert.deepEqual(log.records.map((r) => r.type), ['dialFailed']);
        assert.equal(log.records[0]?.type === 'dialFailed' && log.records[0].address, nowhere);
        assert.equal(log.dialFailures()[0]?.reason, 'unreachable');
        assertNeverReentrant(log);
      }));

    test('a dial to a peer that accepts but never completes the handshake fails as timeout, after the dial timeout, not before', () =>
      withHarness(async (harness) => {
        const log = new TransportRecorder();
        const dialer = await harness.listen(log);
        const silent = await harness.silentAddress();
        const started = harness.now();
        log.call(() => dialer.transport.dial(silent));
        await settleOrFail(harness, () => log.dialFailures().length > 0, 'the dial times out', harness.dialTimeoutMs * 2 + harness.stepDeadlineMs);
        const waited = harness.now() - started;
        assert.ok(waited >= harness.dialTimeoutMs * 0.9, `failed after ${waited} ms, before the ${harness.dialTimeoutMs} ms timeout`);
        assert.deepEqual(log.records.map((r) => r.type), ['dialFailed']);
        assert.ok(['unreachable', 'timeout'].includes(log.dialFailures()[0]?.reason ?? ''), 'reported as silence, not a rejection');
        // One reason in every world: a silent host is a `timeout` (a peer_rejected reason), in real life and in simulation.
        assert.equal(log.dialFailures()[0]?.reason, 'timeout');
        assertNeverReentrant(log);
      }));

    test('shutdown closes every connection once on both ends and stops accepting', () =>
      withHarness(async (harness) => {
        const pair = await connectedPair(harness);
        await pair.acceptorLog.call(() => pair.acceptor.transport.shutdown());
        await settleOrFail(harness, () => pair.acceptorLog.closes(pair.inbound.id).length > 0 && pair.dialerLog.closes(pair.outbound.id).length > 0, 'both ends report the close');
        const again = new TransportRecorder();
        const late = await harness.listen(again);
        again.call(() => late.transport.dial(pair.acceptor.address));
        await settleOrFail(harness, () => again.dialFailures().length > 0, 'a dial to the shut transport fails');
        assert.equal(pair.acceptorLog.closes(pair.inbound.id).length, 1);
        assert.equal(pair.dialerLog.closes(pair.outbound.id).length, 1);
        assert.deepEqual(again.connections(), []);
        assertNeverReentrant(pair.dialerLog, pair.acceptorLog, again);
      }));
  });
}
