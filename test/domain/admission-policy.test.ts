import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/domain/address';
import type { Effect } from '../../src/domain/effects';
import type { Identity } from '../../src/domain/identity';
import { MembershipProtocol } from '../../src/domain/membership-protocol';
import type { PeerEntry } from '../../src/domain/messages';
import { PROTOCOL_DEFAULTS, type ProtocolOptions } from '../../src/domain/protocol-options';
import { identityOf, ProtocolHarness, seededRandom, testOptions } from './protocol-harness';

const SELF = identityOf('self');
const ESTABLISH_MS = Math.max(PROTOCOL_DEFAULTS.periodMs, PROTOCOL_DEFAULTS.establishAfterHeartbeats * PROTOCOL_DEFAULTS.heartbeatIntervalMs);
const DIGEST = '0000000000000000';

/** One protocol driven by hand: connections by name, every effect kept. */
class Driver {
  readonly protocol: MembershipProtocol;
  readonly effects: Effect[] = [];
  now = 0;
  private next = 0;
  /** Connections whose far end is alive: each sends a heartbeat before every tick. */
  private readonly open = new Set<string>();

  constructor(overrides: Partial<ProtocolOptions> = {}, remembered: { id: Identity; address: Address; lastSeen: number }[] = []) {
    this.protocol = new MembershipProtocol(testOptions(SELF, 1, seededRandom(1), overrides));
    this.keep(this.protocol.start(0, [], remembered));
  }

  keep(effects: Effect[]): Effect[] {
    this.effects.push(...effects);
    for (const effect of effects) if (effect.type === 'close') this.open.delete(effect.connection);
    return effects;
  }

  /** An inbound peer that completes its hello (claiming `port` on `host`); returns the connection id. */
  inbound(name: string, host = '10.0.0.9', port = 7000): string {
    const id = `c${this.next++}`;
    const peer = identityOf(name);
    this.open.add(id);
    this.keep(this.protocol.connected({ id, peer, direction: 'inbound', remoteHost: host }, this.now));
    this.keep(this.protocol.received(id, { v: 1, t: 'hello', id: peer, port, host, digest: DIGEST }, this.now));
    return id;
  }

  /** Our dial to `address` met `name`. */
  answered(name: string, address: Address): string {
    const id = `c${this.next++}`;
    const peer = identityOf(name);
    this.open.add(id);
    this.keep(this.protocol.connected({ id, peer, direction: 'outbound', remoteHost: address.split(':')[0] as string, dialed: address }, this.now));
    this.keep(this.protocol.received(id, { v: 1, t: 'hello', id: peer, port: Number(address.split(':')[1]), host: address.split(':')[0] as string, digest: DIGEST }, this.now));
    return id;
  }

  close(id: string): void {
    this.open.delete(id);
    this.keep(this.protocol.closed(id, { kind: 'remote', detail: 'gone' }, this.now));
  }

  at(now: number): Effect[] {
    this.now = now;
    const effects: Effect[] = [];
    for (const id of [...this.open]) effects.push(...this.keep(this.protocol.received(id, { v: 1, t: 'hb' }, now)));
    effects.push(...this.keep(this.protocol.tick(now)));
    return effects;
  }

  /** Runs ticks until `untilMs`, failing every dial at once (nothing answers). */
  runFailingDials(untilMs: number): void {
    for (let guard = 0; guard < 100_000; guard += 1) {
      const wake = Math.max(this.protocol.nextWakeAt, this.now);
      if (wake > untilMs) break;
      const pending = this.at(wake).filter((e) => e.type === 'dial');
      for (const dial of pending) this.keep(this.protocol.dialFailed(dial.address, { reason: 'unreachable', detail: 'ECONNREFUSED' }, this.now));
    }
    this.now = untilMs;
  }

  state(name: string): string | undefined {
    return this.protocol.members().find((m) => m.id === identityOf(name))?.state;
  }

  listSentOn(connection: string): PeerEntry[] | undefined {
    const sent = this.effects.filter((e) => e.type === 'send' && e.connection === connection && e.message.t === 'peers');
    const last = sent[sent.length - 1];
    return last?.type === 'send' && last.message.t === 'peers' ? [...last.message.peers] : undefined;
  }
}

function remembered(effects: readonly Effect[], name: string): boolean {
  return effects.some((e) => e.type === 'remember' && e.peer === identityOf(name));
}

function dialsTo(effects: readonly Effect[], address: string): number {
  return effects.filter((e) => e.type === 'dial' && e.address === address).length;
}

describe('admission policy: strangers', () => {
  it('gives a peer its pin only once it has stayed connected max(period, 3 heartbeats)', () => {
    assert.equal(ESTABLISH_MS, 5_000);
    const driver = new Driver();
    driver.inbound('newcomer');
    driver.at(ESTABLISH_MS - 1);
    assert.ok(!remembered(driver.effects, 'newcomer'), 'no pin before');
    driver.at(ESTABLISH_MS);
    assert.ok(remembered(driver.effects, 'newcomer'), 'a pin once established');
  });

  it('forgets a stranger that vanishes after a few redials, and never stores it', () => {
    const driver = new Driver();
    const connection = driver.inbound('stranger', '10.0.0.9', 7000);
    driver.now = 100;
    driver.close(connection);
    driver.runFailingDials(3_600_000);
    assert.equal(driver.state('stranger'), undefined, 'forgotten');
    assert.ok(dialsTo(driver.effects, '10.0.0.9:7000') <= PROTOCOL_DEFAULTS.maxUnverifiedAttempts, 'redialled a few times at most');
    assert.ok(!driver.effects.some((e) => (e.type === 'remember' || e.type === 'forget') && e.peer === identityOf('stranger')), 'the store never hears of it');
  });

  it('keeps redialling an established peer that vanishes, and stores it', () => {
    const driver = new Driver({ reconnectTimeoutMs: 3_600_000 });
    const connection = driver.inbound('member', '10.0.0.9', 7000);
    driver.at(ESTABLISH_MS);
    driver.close(connection);
    driver.runFailingDials(600_000);
    assert.equal(driver.state('member'), 'disconnected');
    assert.ok(dialsTo(driver.effects, '10.0.0.9:7000') > 30);
    assert.ok(remembered(driver.effects, 'member'));
  });

  it('counts peers restored from the store as established', () => {
    const driver = new Driver({}, [{ id: identityOf('old friend'), address: '10.0.0.5:7000' as Address, lastSeen: 0 }]);
    driver.answered('old friend', '10.0.0.5:7000' as Address);
    assert.ok(remembered(driver.effects, 'old friend'), 'its pin is refreshed at once');
    const newcomer = driver.inbound('member', '10.0.0.6');
    driver.at(ESTABLISH_MS);
    const other = driver.inbound('other member', '10.0.0.7');
    driver.at(2 * ESTABLISH_MS);
    assert.ok(newcomer && other);
    assert.deepEqual(driver.listSentOn(other)?.map((e) => e.id).sort(), [identityOf('old friend'), identityOf('member')].sort());
  });

  it('passes strangers on to strangers only, never to established peers', () => {
    const driver = new Driver();
    const member = driver.inbound('member', '10.0.0.6');
    driver.at(ESTABLISH_MS);
    driver.inbound('stranger', '10.0.0.7');
    const joiner = driver.inbound('joiner', '10.0.0.8');
    assert.deepEqual(driver.listSentOn(joiner)?.map((e) => e.id).sort(), [identityOf('member'), identityOf('stranger')].sort());
    driver.keep(driver.protocol.received(member, { v: 1, t: 'sync', digest: DIGEST }, driver.now));
    const toMember = driver.listSentOn(member)?.map((e) => e.id) ?? [];
    assert.ok(!toMember.includes(identityOf('stranger')) && !toMember.includes(identityOf('joiner')), 'the established mesh never hears of them');
  });

  it('admits new identities from one host at a bounded rate, and others from other hosts meanwhile', () => {
    const driver = new Driver();
    const burst = PROTOCOL_DEFAULTS.newIdentityBurst;
    for (let i = 0; i < burst + 20; i += 1) driver.inbound(`flood ${i}`, '10.6.6.6');
    const admitted = driver.protocol.members().filter((m) => m.state === 'connected').length;
    assert.equal(admitted, burst, 'the bucket holds the burst');
    assert.ok(driver.effects.some((e) => e.type === 'log' && /too many new identities/.test(e.message)));
    driver.inbound('elsewhere', '10.7.7.7');
    assert.equal(driver.state('elsewhere'), 'connected', 'another host is not held back');
    driver.at(1_000);
    for (let i = 0; i < 20; i += 1) driver.inbound(`later ${i}`, '10.6.6.6');
    const later = driver.protocol.members().filter((m) => m.id !== identityOf('elsewhere') && m.state === 'connected').length - burst;
    assert.equal(later, PROTOCOL_DEFAULTS.newIdentitiesPerSecond, 'then the rate per second');
  });

  it('makes room for a newcomer in a table full of strangers, never at the cost of an established peer', () => {
    const driver = new Driver({ maxPeers: 4 });
    driver.inbound('member a', '10.0.0.1');
    driver.inbound('member b', '10.0.0.2');
    driver.at(ESTABLISH_MS);
    driver.inbound('stranger 1', '10.0.0.3');
    driver.inbound('stranger 2', '10.0.0.4');
    driver.inbound('newcomer', '10.0.0.5');
    assert.equal(driver.state('newcomer'), 'connected', 'a newcomer is never refused because of strangers');
    assert.equal(driver.state('stranger 1'), undefined, 'the oldest stranger gave way');
    assert.ok(driver.effects.some((e) => e.type === 'close' && e.reason === 'rejected'), 'its connection closed');
    const gone = driver.effects.find((e) => e.type === 'emit' && e.event.event === 'peer_disconnected');
    assert.ok(gone?.type === 'emit' && gone.event.event === 'peer_disconnected' && gone.event.peer === identityOf('stranger 1'), 'and it was reported disconnected');
    assert.equal(driver.state('member a'), 'connected');
    assert.equal(driver.state('member b'), 'connected');
    driver.at(2 * ESTABLISH_MS);
    driver.inbound('one too many', '10.0.0.6');
    driver.inbound('and another', '10.0.0.7');
    assert.equal(driver.protocol.members().length, 4);
    for (const name of ['member a', 'member b', 'newcomer']) assert.equal(driver.state(name), 'connected', `${name} keeps its place`);
  });
});

describe('admission policy: stale address claims', () => {
  it('drops quietly a claimed address that answers with another key: no alarm, no redial', () => {
    const driver = new Driver();
    const connection = driver.inbound('stranger', '10.0.0.9', 7000);
    driver.now = 100;
    driver.close(connection);
    driver.at(2_000);
    const dial = driver.effects.find((e) => e.type === 'dial' && e.address === '10.0.0.9:7000');
    assert.ok(dial, 'the claim is dialled');
    driver.answered('honest member', '10.0.0.9:7000' as Address);
    assert.ok(!driver.effects.some((e) => e.type === 'emit' && e.event.event === 'peer_rejected'), 'no identity_mismatch');
    assert.ok(!driver.effects.some((e) => e.type === 'log' && e.level === 'warn'), 'no key-change warning');
    assert.ok(driver.effects.some((e) => e.type === 'log' && e.level === 'debug' && /stale claim/.test(e.message)));
    assert.equal(driver.state('stranger'), undefined, 'forgotten, so not redialled nor passed on');
  });

  it('raises the alarm where the expected identity was really reached: dialled there', () => {
    const driver = new Driver({}, [{ id: identityOf('friend'), address: '10.0.0.5:7000' as Address, lastSeen: 0 }]);
    const connection = driver.answered('friend', '10.0.0.5:7000' as Address);
    driver.close(connection);
    driver.runFailingDials(0);
    driver.at(driver.protocol.nextWakeAt);
    driver.answered('impostor', '10.0.0.5:7000' as Address);
    const rejected = driver.effects.filter((e) => e.type === 'emit' && e.event.event === 'peer_rejected');
    assert.equal(rejected.length, 1);
    assert.ok(driver.effects.some((e) => e.type === 'log' && e.level === 'warn' && /changed/.test(e.message)));
    assert.equal(driver.state('friend'), 'disconnected', 'the pin stays');
  });
});

describe('admission policy: candidate floods', () => {
  it('holds a bounded number of candidates and dials a bounded number at once; an established peer is not starved', () => {
    const driver = new Driver({}, [{ id: identityOf('old friend'), address: '10.0.0.5:7000' as Address, lastSeen: 0 }]);
    const source = driver.inbound('member', '10.0.0.6');
    driver.at(ESTABLISH_MS);
    const flood: PeerEntry[] = Array.from({ length: 4096 }, (_, i) => ({ id: identityOf(`made up ${i}`), addr: `10.250.${i >> 8}.${i & 255}:8080` as Address }));
    const effects = driver.keep(driver.protocol.received(source, { v: 1, t: 'peers', peers: flood, ask: false }, driver.now));
    const candidates = driver.protocol.members().filter((m) => m.state === 'candidate').length;
    assert.equal(candidates, PROTOCOL_DEFAULTS.maxCandidates);
    assert.equal(effects.filter((e) => e.type === 'dial').length, PROTOCOL_DEFAULTS.maxUnestablishedDials, 'dials in flight capped');
    // The old friend's redial is due: it goes out although candidate dials fill their slots.
    const before = dialsTo(driver.effects, '10.0.0.5:7000');
    driver.keep(driver.protocol.dialFailed('10.0.0.5:7000' as Address, { reason: 'unreachable', detail: 'x' }, driver.now));
    driver.at(driver.now + 2_000);
    assert.ok(dialsTo(driver.effects, '10.0.0.5:7000') > before, 'an established peer is still redialled');
    // Each failure hands its slot on; in the end every made-up peer is dropped.
    let inFlight: string[] = driver.effects.flatMap((e) => (e.type === 'dial' && e.address.startsWith('10.250.') ? [e.address] : []));
    let total = inFlight.length;
    for (let round = 0; round < 1_000 && driver.protocol.members().some((m) => m.state === 'candidate'); round += 1) {
      const next: string[] = [];
      for (const address of inFlight) {
        for (const e of driver.keep(driver.protocol.dialFailed(address as Address, { reason: 'unreachable', detail: 'x' }, driver.now))) if (e.type === 'dial') next.push(e.address);
      }
      driver.now += 1_000;
      for (const e of driver.at(driver.now)) if (e.type === 'dial' && e.address.startsWith('10.250.')) next.push(e.address);
      assert.ok(next.length <= PROTOCOL_DEFAULTS.maxUnestablishedDials, `at most ${PROTOCOL_DEFAULTS.maxUnestablishedDials} at once, got ${next.length}`);
      total += next.length;
      inFlight = next.filter((address) => address.startsWith('10.250.'));
    }
    assert.equal(driver.protocol.members().filter((m) => m.state === 'candidate').length, 0, 'every made-up peer dropped');
    assert.ok(total <= PROTOCOL_DEFAULTS.maxCandidates * PROTOCOL_DEFAULTS.maxUnverifiedAttempts, `${total} dials in all`);
  });
});

describe('admission policy: the list of the seed we joined through', () => {
  it('is taken whole and dialled at once: the operator vouched for the seed, so a join into a large mesh is one round of dials', () => {
    const protocol = new MembershipProtocol(testOptions(SELF, 1, seededRandom(1)));
    const seed = '10.0.0.1:7000' as Address;
    const started = protocol.start(0, [seed]);
    assert.ok(started.some((e) => e.type === 'dial' && e.address === seed));
    protocol.connected({ id: 's', peer: identityOf('seed'), direction: 'outbound', remoteHost: '10.0.0.1', dialed: seed }, 0);
    protocol.received('s', { v: 1, t: 'hello', id: identityOf('seed'), port: 7000, host: '10.0.0.1', digest: DIGEST }, 0);
    const mesh: PeerEntry[] = Array.from({ length: 1000 }, (_, i) => ({ id: identityOf(`member ${i}`), addr: `10.1.${i >> 8}.${i & 255}:8080` as Address }));
    const effects = protocol.received('s', { v: 1, t: 'peers', peers: mesh, ask: false }, 1);
    assert.equal(protocol.members().filter((m) => m.state === 'candidate').length, 1000, 'beyond maxCandidates');
    assert.equal(effects.filter((e) => e.type === 'dial').length, 1000, 'beyond maxUnestablishedDials');
  });
});

describe('admission policy: evidence of life', () => {
  it('dials at once a peer we are redialling when a connected established peer lists it', () => {
    const driver = new Driver({ reconnectTimeoutMs: 3_600_000 });
    const lost = driver.inbound('lost', '10.0.0.9', 7000);
    const witness = driver.inbound('witness', '10.0.0.8', 7000);
    driver.at(ESTABLISH_MS);
    driver.close(lost);
    driver.runFailingDials(120_000);
    // Its backoff is at the cap by now: fail one more dial, then no dial is due for seconds.
    let dial: Effect | undefined;
    for (let guard = 0; guard < 1_000 && !dial; guard += 1) dial = driver.at(driver.protocol.nextWakeAt).find((e) => e.type === 'dial' && e.address === '10.0.0.9:7000');
    driver.keep(driver.protocol.dialFailed('10.0.0.9:7000' as Address, { reason: 'unreachable', detail: 'x' }, driver.now));
    assert.equal(dialsTo(driver.at(driver.now + 1_000), '10.0.0.9:7000'), 0, 'not due yet');
    const effects = driver.keep(driver.protocol.received(witness, { v: 1, t: 'peers', peers: [{ id: identityOf('lost'), addr: '10.0.0.9:7000' as Address }], ask: false }, driver.now));
    assert.equal(dialsTo(effects, '10.0.0.9:7000'), 1, 'dialled now');
  });

  it('redials at once, when its hung dial fails, a peer shown alive meanwhile', () => {
    const driver = new Driver({ reconnectTimeoutMs: 3_600_000 });
    const lost = driver.inbound('lost', '10.0.0.9', 7000);
    const witness = driver.inbound('witness', '10.0.0.8', 7000);
    driver.at(ESTABLISH_MS);
    driver.close(lost);
    let dial: Effect | undefined;
    for (let guard = 0; guard < 1_000 && !dial; guard += 1) dial = driver.at(driver.protocol.nextWakeAt).find((e) => e.type === 'dial' && e.address === '10.0.0.9:7000');
    driver.keep(driver.protocol.received(witness, { v: 1, t: 'peers', peers: [{ id: identityOf('lost'), addr: '10.0.0.9:7000' as Address }], ask: false }, driver.now));
    const effects = driver.keep(driver.protocol.dialFailed('10.0.0.9:7000' as Address, { reason: 'unreachable', detail: 'timeout' }, driver.now + 5_000));
    assert.equal(dialsTo(effects, '10.0.0.9:7000'), 1);
  });

  it('heals a long split within a few round trips of the link returning', () => {
    const harness = new ProtocolHarness(3, 5, {}, 5);
    const names = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
    names.forEach((name, i) => harness.add(name, i === 0 ? [] : ['a1']));
    harness.run(10_000);
    assert.ok(harness.fullMesh());
    harness.partition(['a1', 'a2', 'a3'], ['b1', 'b2', 'b3']);
    harness.run(600_000);
    harness.heal();
    const healedAt = harness.now;
    // Backoff timers sit near their 10 s cap: the first one to fire reconnects a pair, and its lists bring in
    // the rest at once, but for pairs whose dials both hang across the split (the harness's 5 s dial timeout).
    for (let step = 0; step < 300 && !harness.fullMesh(); step += 1) harness.run(100);
    assert.ok(harness.fullMesh(), 'one mesh again');
    const firstReconnect = Math.min(...names.flatMap((name) => harness.eventsOf(name, 'peer_connected').filter((e) => e.at >= healedAt).map((e) => e.at)));
    assert.ok(harness.now - firstReconnect <= 5_000 + 1_000, `the rest followed the first reconnection within a dial timeout (${harness.now - firstReconnect} ms)`);
  });
});
