import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/domain/address';
import type { Effect } from '../../src/domain/effects';
import type { Identity } from '../../src/domain/identity';
import { MembershipProtocol } from '../../src/domain/membership-protocol';
import type { HelloMessage, PeerEntry } from '../../src/domain/messages';
import { PeerDigest } from '../../src/domain/peer-digest';
import { identityOf, ProtocolHarness, seededRandom, testOptions } from './protocol-harness';

/** Long enough connected to be established with the defaults (max(period, 3 heartbeats) = 5 s): a pin, long redialling. */
const ESTABLISHED_MS = 6_000;

function chain(harness: ProtocolHarness, count: number, prefix = 'n'): string[] {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  names.forEach((name, i) => harness.add(name, i === 0 ? [] : [names[i - 1] as string]));
  return names;
}

function connectedIds(harness: ProtocolHarness, name: string): Set<Identity> {
  return new Set(harness.node(name).protocol.members().filter((m) => m.state === 'connected').map((m) => m.id));
}

describe('join crawl', () => {
  it('reaches a full mesh of 50 chain joins in a handful of round trips, not periods', () => {
    const harness = new ProtocolHarness(7, 1);
    chain(harness, 50);
    harness.run(60);
    assert.ok(harness.fullMesh(), 'full mesh within 60 ms of 1 ms links');
  });

  it('passes each peer it reaches on to the joiners that came to it knowing nobody else, and to no other peer', () => {
    const [self, joiner, member, other, reached] = ['self', 'joiner', 'member', 'other', 'reached'].map(identityOf) as [Identity, Identity, Identity, Identity, Identity];
    const protocol = new MembershipProtocol(testOptions(self, 1, seededRandom(1)));
    protocol.start(0, []);
    const hello = (id: Identity, port: number, digest: string): HelloMessage => ({ v: 1, t: 'hello', id, port, digest });
    // A joiner that knew nobody else (the digest of the two of us), and a peer that knew someone else: neither established yet.
    protocol.connected({ id: 'c1', peer: joiner, direction: 'inbound', remoteHost: '10.0.0.1' }, 0);
    protocol.received('c1', hello(joiner, 1, PeerDigest.of(joiner, self)), 0);
    protocol.connected({ id: 'c2', peer: member, direction: 'inbound', remoteHost: '10.0.0.2' }, 0);
    protocol.received('c2', hello(member, 2, PeerDigest.of(member, self, other)), 0);
    // The member's list brings a peer we dial and meet.
    const address = '10.0.0.3:3' as Address;
    const dials = protocol.received('c2', { v: 1, t: 'peers', peers: [{ id: reached, addr: address }], ask: false }, 1);
    assert.ok(dials.some((e) => e.type === 'dial' && e.address === address));
    protocol.connected({ id: 'c3', peer: reached, direction: 'outbound', remoteHost: '10.0.0.3', dialed: address }, 2);
    const effects = protocol.received('c3', hello(reached, 3, PeerDigest.of(reached, self, joiner, member)), 2);
    const lists = effects.filter((e) => e.type === 'send' && e.message.t === 'peers');
    assert.deepEqual(
      lists.map((e) => e.type === 'send' && { to: e.connection, message: e.message }),
      [{ to: 'c1', message: { v: 1, t: 'peers', peers: [{ id: reached, addr: address }], ask: false } }],
    );
  });

  it('sends a newcomer to a meshed group no entry its members showed they knew (no list per member and pair)', () => {
    const harness = new ProtocolHarness(5, 1);
    chain(harness, 12);
    harness.run(2_000);
    assert.ok(harness.fullMesh());
    const lists: { from: string; to: string; entries: number }[] = [];
    harness.onSend = (from, to, message) => {
      if (message.t === 'peers') lists.push({ from, to, entries: message.peers.length });
    };
    harness.add('newcomer', ['n11']);
    harness.run(2_000);
    assert.ok(harness.fullMesh());
    // The seed and the newcomer trade lists; every member it then dials already knew every peer the newcomer knew.
    assert.deepEqual(lists.filter(({ from, to }) => from === 'newcomer' && to !== 'n11'), []);
  });

  it('reports each peer connected once, at its advertised address, never itself', () => {
    const harness = new ProtocolHarness();
    chain(harness, 4);
    harness.run(1_000);
    for (const node of harness.nodes.values()) {
      const connected = harness.eventsOf(node.name, 'peer_connected');
      assert.equal(connected.length, 3, `${node.name} connects to each other node once`);
      for (const event of connected) {
        assert.ok(event.event === 'peer_connected');
        const peer = [...harness.nodes.values()].find((other) => other.id === event.peer);
        assert.equal(event.address, peer?.address);
      }
      assert.ok(!node.protocol.members().some((m) => m.id === node.id));
    }
  });
});

describe('one connection per pair', () => {
  it('keeps one of two simultaneous dials, with no failure event', () => {
    for (let seed = 1; seed <= 20; seed += 1) simultaneousDials(seed);
  });

  function simultaneousDials(seed: number): void {
    const harness = new ProtocolHarness(seed, 1, {}, 4);
    harness.create('a');
    harness.create('b');
    harness.start('a', ['b']);
    harness.start('b', ['a']);
    harness.run(3_000);
    assert.ok(harness.fullMesh());
    assert.equal(harness.connectionsBetween('a', 'b'), 1);
    assert.equal(harness.connectionsBetween('b', 'a'), 1);
    for (const name of ['a', 'b']) {
      assert.equal(harness.eventsOf(name, 'peer_connected').length, 1);
      assert.equal(harness.eventsOf(name, 'peer_disconnected').length, 0);
      assert.equal(harness.eventsOf(name, 'peer_rejected').length, 0);
    }
  }

  it('keeps one connection per pair across a whole crawl', () => {
    const harness = new ProtocolHarness(3, 1, {}, 5);
    const names = Array.from({ length: 8 }, (_, i) => `m${i}`);
    names.forEach((name) => harness.create(name));
    // Everyone joins through everyone at once: the worst case for crossing dials.
    names.forEach((name) => harness.start(name, names.filter((other) => other !== name)));
    harness.run(5_000);
    assert.ok(harness.fullMesh());
    for (const a of names) {
      for (const b of names) if (a !== b) assert.equal(harness.connectionsBetween(a, b), 1, `${a}→${b}`);
      assert.equal(harness.eventsOf(a, 'peer_disconnected').length, 0);
    }
  });
});

describe('failure detection', () => {
  it('reports a killed peer disconnected at once and dead after deadAfter of silence, never earlier', () => {
    const harness = new ProtocolHarness();
    chain(harness, 3);
    harness.run(10_000);
    const killedAt = harness.now;
    const lastFrame = killedAt; // heartbeats flow every second up to the kill
    harness.kill('n2');
    harness.run(10_000);
    for (const name of ['n0', 'n1']) {
      const [disconnected] = harness.eventsOf(name, 'peer_disconnected');
      const [dead] = harness.eventsOf(name, 'peer_dead');
      assert.ok(disconnected && disconnected.at - killedAt <= 2, 'disconnected at once');
      assert.ok(dead && dead.event === 'peer_dead');
      assert.ok(dead.silentMs >= 5_000, 'never earlier than deadAfter');
      assert.ok(dead.at <= lastFrame + 5_000 + 1_000, 'within deadAfter plus one heartbeat');
    }
    assert.ok(!harness.eventsOf('n0', 'peer_dead').some((e) => e.event === 'peer_dead' && e.peer === harness.node('n1').id));
  });

  it('reports a silent peer dead on an open connection (a cut cable) and never a live one', () => {
    const harness = new ProtocolHarness();
    chain(harness, 4);
    harness.run(5_000);
    harness.partition(['n0', 'n1', 'n2'], ['n3']);
    harness.run(8_000);
    for (const name of ['n0', 'n1', 'n2']) {
      const dead = harness.eventsOf(name, 'peer_dead');
      assert.deepEqual(dead.map((e) => e.event === 'peer_dead' && e.peer), [harness.node('n3').id]);
    }
  });

  it('redials a lost peer with jittered exponential backoff, capped', () => {
    const harness = new ProtocolHarness(4);
    chain(harness, 2);
    harness.run(ESTABLISHED_MS);
    harness.kill('n1');
    const lostAt = harness.now;
    harness.run(120_000);
    const address = harness.node('n1').address;
    const times = harness.node('n0').dials.filter((d) => d.address === address && d.at >= lostAt).map((d) => d.at);
    const gaps = times.map((t, i) => t - (i === 0 ? lostAt : (times[i - 1] as number)));
    assert.ok((gaps[0] as number) <= 1_000, 'first retry within a second');
    assert.ok(gaps.every((gap) => gap <= 10_000 + 5), 'capped at reconnectMax');
    assert.ok(gaps.slice(-3).every((gap) => gap >= 5_000), 'grows to the cap');
  });

  it('reconnects a restarted peer with the same key and reports it as a reconnect', () => {
    const harness = new ProtocolHarness();
    chain(harness, 3);
    harness.run(ESTABLISHED_MS);
    harness.kill('n1');
    harness.run(7_000);
    harness.add('n1');
    harness.run(15_000);
    assert.ok(harness.fullMesh());
    const reconnects = harness.eventsOf('n0', 'peer_connected').filter((e) => e.event === 'peer_connected' && e.reconnect);
    assert.equal(reconnects.length, 1);
  });
});

describe('pinning', () => {
  it('refuses another key at a known address and keeps the pin', () => {
    const harness = new ProtocolHarness();
    chain(harness, 2);
    harness.run(ESTABLISHED_MS);
    const original = harness.node('n1').id;
    harness.kill('n1');
    harness.add('n1', [], identityOf('impostor'));
    harness.run(30_000);
    const rejected = harness.eventsOf('n0', 'peer_rejected');
    assert.ok(rejected.length >= 1);
    const first = rejected[0];
    assert.ok(first?.event === 'peer_rejected');
    assert.equal(first.reason, 'identity_mismatch');
    assert.equal(first.expected, original);
    assert.equal(first.presented, identityOf('impostor'));
    const pinned = harness.node('n0').protocol.members().find((m) => m.id === original);
    assert.equal(pinned?.address, harness.node('n1').address);
    assert.ok(!connectedIds(harness, 'n0').has(identityOf('impostor')));
    const alarms = harness.node('n0').logs.filter((l) => l.type === 'log' && l.level === 'warn' && /changed/.test(l.message));
    assert.ok(alarms.length >= 1 && alarms.length < rejected.length, 'one alarm per backoff period, not per attempt');
  });

  it('refuses a hello that claims another identity', () => {
    const self = identityOf('self');
    const protocol = new MembershipProtocol(testOptions(self, 1, seededRandom(1)));
    protocol.start(0, []);
    protocol.connected({ id: 'c1', peer: identityOf('peer'), direction: 'inbound', remoteHost: '127.0.0.1' }, 0);
    const effects = protocol.received('c1', { v: 1, t: 'hello', id: identityOf('someone else'), port: 2, digest: '0000000000000000' }, 1);
    assert.ok(effects.some((e) => e.type === 'close' && e.reason === 'protocol'));
    assert.ok(effects.some((e) => e.type === 'emit' && e.event.event === 'peer_rejected' && e.event.reason === 'protocol'));
    assert.equal(protocol.members().length, 0);
  });

  it('refuses identities outside the allowlist, in both directions', () => {
    const self = identityOf('self');
    const protocol = new MembershipProtocol(testOptions(self, 1, seededRandom(1), { allow: new Set([identityOf('friend')]) }));
    const seed = '10.0.0.7:1' as Address;
    assert.ok(protocol.start(0, [seed]).some((e) => e.type === 'dial' && e.address === seed));
    const effects = protocol.connected({ id: 'c1', peer: identityOf('stranger'), direction: 'inbound', remoteHost: '10.0.0.9' }, 0);
    assert.ok(effects.some((e) => e.type === 'emit' && e.event.event === 'peer_rejected' && e.event.reason === 'not_allowed'));
    assert.ok(effects.some((e) => e.type === 'close' && e.connection === 'c1' && e.reason === 'rejected'));
    // Outbound: the stranger answers at the address we dialled.
    const dialled = protocol.connected({ id: 'c3', peer: identityOf('stranger'), direction: 'outbound', remoteHost: '10.0.0.7', dialed: seed }, 0);
    assert.ok(dialled.some((e) => e.type === 'emit' && e.event.event === 'peer_rejected' && e.event.reason === 'not_allowed' && e.event.address === seed));
    assert.ok(dialled.some((e) => e.type === 'close' && e.connection === 'c3' && e.reason === 'rejected'));
    assert.ok(!dialled.some((e) => e.type === 'send'), 'no hello to a refused peer');
    assert.ok(!protocol.tick(60_000).some((e) => e.type === 'dial' && e.address === seed), 'a refusing seed is not redialled');
    const welcome = protocol.connected({ id: 'c2', peer: identityOf('friend'), direction: 'inbound', remoteHost: '10.0.0.8' }, 0);
    assert.ok(welcome.some((e) => e.type === 'send' && e.message.t === 'hello'));
    assert.equal(protocol.members().length, 0, 'no stranger is remembered');
  });

  it('welcomes a new key at a --connect address pinned by an earlier run, and keeps the pin with its alarm', () => {
    const self = identityOf('self');
    const old = identityOf('old');
    const fresh = identityOf('new');
    const address = '127.0.0.1:9' as Address;
    const protocol = new MembershipProtocol(testOptions(self, 1, seededRandom(1)));
    const all: Effect[] = [];
    let next = 0;
    // The node now at that address has the new key: it answers every dial there.
    const handle = (effects: readonly Effect[], now: number): void => {
      for (const effect of effects) {
        all.push(effect);
        if (effect.type !== 'dial') continue;
        const connection = `c${next++}`;
        const reply = protocol.connected({ id: connection, peer: fresh, direction: 'outbound', remoteHost: '127.0.0.1', dialed: address }, now);
        handle(reply, now);
        if (reply.some((e) => e.type === 'send' && e.message.t === 'hello')) {
          handle(protocol.received(connection, { v: 1, t: 'hello', id: fresh, port: 9, digest: '0000000000000000' }, now), now);
        }
      }
    };
    handle(protocol.start(0, [address], [{ id: old, address, lastSeen: 0 }]), 0);
    for (let now = 100; now < 60_000; now += 100) handle(protocol.tick(now), now);
    const rejected = all.filter((e) => e.type === 'emit' && e.event.event === 'peer_rejected');
    assert.ok(rejected.length >= 1 && rejected.every((e) => e.type === 'emit' && e.event.event === 'peer_rejected' && e.event.reason === 'identity_mismatch' && e.event.expected === old));
    assert.ok(protocol.members().some((m) => m.id === old && m.address === address), 'the pin is kept');
    assert.ok(protocol.members().some((m) => m.id === fresh && m.state === 'connected'), 'whoever answers --connect is welcome');
  });

  it('does not dial identities that the allowlist would refuse', () => {
    const self = identityOf('self');
    const friend = identityOf('friend');
    const protocol = new MembershipProtocol(testOptions(self, 1, seededRandom(1), { allow: new Set([friend, identityOf('other friend')]) }));
    protocol.start(0, []);
    protocol.connected({ id: 'c', peer: friend, direction: 'inbound', remoteHost: '127.0.0.1' }, 0);
    protocol.received('c', { v: 1, t: 'hello', id: friend, port: 2, digest: '0000000000000000' }, 0);
    const effects = protocol.received('c', { v: 1, t: 'peers', ask: false, peers: [
      { id: identityOf('stranger'), addr: '10.0.0.1:1' as Address },
      { id: identityOf('other friend'), addr: '10.0.0.2:1' as Address },
    ] }, 1);
    assert.deepEqual(effects.filter((e) => e.type === 'dial').map((e) => e.type === 'dial' && e.address), ['10.0.0.2:1']);
  });
});

describe('splits', () => {
  it('heals a split in which both sides gained members into one full mesh', () => {
    const harness = new ProtocolHarness(5);
    chain(harness, 4);
    harness.run(3_000);
    harness.partition(['n0', 'n1'], ['n2', 'n3']);
    harness.run(10_000);
    harness.add('left', ['n0']);
    harness.add('right', ['n3']);
    harness.partition(['n0', 'n1', 'left'], ['n2', 'n3', 'right']);
    harness.run(10_000);
    assert.ok(!harness.fullMesh());
    harness.heal();
    harness.run(30_000);
    assert.ok(harness.fullMesh());
  });

});

describe('pings', () => {
  it('pings every connected peer each period and shows pings received', () => {
    const harness = new ProtocolHarness();
    chain(harness, 3);
    harness.run(10_500);
    const sent = harness.eventsOf('n0', 'ping_sent');
    assert.equal(sent.length, 2);
    assert.ok(sent.every((e) => e.event === 'ping_sent' && e.peers === 2));
    const received = harness.eventsOf('n1', 'ping_received').filter((e) => e.event === 'ping_received' && e.peer === harness.node('n0').id);
    assert.equal(received.length, 2);
  });

  it('numbers pings from 1, counting only those sent', () => {
    const harness = new ProtocolHarness();
    harness.add('n0');
    harness.run(12_000);
    harness.add('n1', ['n0']);
    harness.run(5_500);
    const [first] = harness.eventsOf('n0', 'ping_sent');
    assert.ok(first?.event === 'ping_sent');
    assert.match(first.message, /^ping 1 from /);
  });
});

describe('bounds', () => {
  function connectedPair(): { harness: ProtocolHarness } {
    const harness = new ProtocolHarness();
    chain(harness, 2);
    harness.run(1_000);
    return { harness };
  }

  it('closes the connection of a peer that sends a list of 100 000 entries and carries on', () => {
    const { harness } = connectedPair();
    harness.add('c', ['n0']);
    harness.run(1_000);
    const peers: PeerEntry[] = Array.from({ length: 100_000 }, (_, i) => ({ id: identityOf(`fake${i}`), addr: `10.1.${i % 250}.1:${1 + (i % 60000)}` as Address }));
    harness.inject('n1', 'n0', { v: 1, t: 'peers', peers, ask: false });
    harness.run(100);
    const rejected = harness.eventsOf('n0', 'peer_rejected');
    assert.ok(rejected.some((e) => e.event === 'peer_rejected' && e.reason === 'protocol'));
    assert.ok(harness.node('n0').protocol.members().length <= 3);
    assert.ok(connectedIds(harness, 'n0').has(harness.node('c').id), 'other peers carry on');
  });

  it('bounds known peers and ignores itself, duplicates and malformed addresses', () => {
    const harness = new ProtocolHarness(1, 1, { maxPeers: 50 });
    chain(harness, 2);
    harness.run(1_000);
    const self = harness.node('n0').id;
    const peers: PeerEntry[] = [
      { id: self, addr: '127.0.0.1:1' as Address },
      ...Array.from({ length: 100 }, (_, i) => ({ id: identityOf(`dup${i % 10}`), addr: `10.0.0.${i % 10}:80` as Address })),
      ...Array.from({ length: 20 }, (_, i) => ({ id: identityOf(`bad${i}`), addr: ['nohostport', '1.2.3.4:0', ':80', '[::1', 'a b:1'][i % 5] as Address })),
      ...Array.from({ length: 3000 }, (_, i) => ({ id: identityOf(`many${i}`), addr: `10.2.${i % 250}.1:80` as Address })),
    ];
    harness.inject('n1', 'n0', { v: 1, t: 'peers', peers, ask: false });
    harness.run(10);
    const members = harness.node('n0').protocol.members();
    assert.ok(members.length <= 50);
    assert.ok(!members.some((m) => m.id === self));
    assert.ok(!members.some((m) => m.id === identityOf('bad0')));
    assert.ok(connectedIds(harness, 'n0').has(harness.node('n1').id), 'the real peer stays');
  });

  it('drops addresses it never reached after a few attempts', () => {
    const harness = new ProtocolHarness();
    chain(harness, 2);
    harness.run(1_000);
    const ghosts: PeerEntry[] = Array.from({ length: 5 }, (_, i) => ({ id: identityOf(`ghost${i}`), addr: `127.0.0.1:${20_000 + i}` as Address }));
    harness.inject('n1', 'n0', { v: 1, t: 'peers', peers: ghosts, ask: false });
    harness.run(60_000);
    const members = harness.node('n0').protocol.members();
    assert.equal(members.length, 1, 'only the real peer remains');
    const dials = harness.node('n0').dials.filter((d) => d.address === ghosts[0]?.addr).length;
    assert.equal(dials, 3);
  });

  it('makes room among peers that left, and forgets them after reconnectTimeout', () => {
    const harness = new ProtocolHarness(2, 1, { maxPeers: 2, reconnectTimeoutMs: 600_000 });
    harness.add('n0');
    for (const name of ['a', 'b', 'c']) {
      harness.add(name, ['n0']);
      harness.run(1_000);
      harness.stop(name);
      harness.run(1_000);
    }
    harness.add('late', ['n0']);
    harness.run(1_000);
    assert.ok(connectedIds(harness, 'n0').has(harness.node('late').id), 'a full table of departed peers still admits a newcomer');
    harness.stop('late');
    harness.run(700_000);
    assert.equal(harness.node('n0').protocol.members().length, 0, 'departed peers are forgotten');
  });
});

describe('persistence', () => {
  it('redials remembered peers at start without reporting them dead', () => {
    const self = identityOf('self');
    const protocol = new MembershipProtocol(testOptions(self, 1, seededRandom(1)));
    const remembered = [{ id: identityOf('old'), address: '127.0.0.1:9' as Address, lastSeen: 0 }];
    const effects = protocol.start(3_600_000, [], remembered);
    assert.ok(effects.some((e) => e.type === 'dial' && e.address === '127.0.0.1:9' && e.expected === identityOf('old')));
    assert.ok(!effects.some((e) => e.type === 'emit' && e.event.event === 'peer_dead'));
    const later = protocol.tick(3_600_000 + 60_000);
    assert.ok(!later.some((e) => e.type === 'emit' && e.event.event === 'peer_dead'), 'its silence began before this run: never reported dead');
  });

  it('forgets a peer unseen for reconnectTimeout', () => {
    const harness = new ProtocolHarness(2, 1, { reconnectTimeoutMs: 60_000 });
    chain(harness, 2);
    harness.run(ESTABLISHED_MS);
    harness.kill('n1');
    harness.run(120_000);
    assert.equal(harness.node('n0').protocol.members().length, 0);
    assert.ok(harness.node('n0').logs.some((l) => l.type === 'forget'));
  });

  it('refreshes the pin of a long-connected peer, and on stop, so a restart does not forget it', () => {
    const harness = new ProtocolHarness(1, 1, { heartbeatIntervalMs: 60_000, deadAfterMs: 300_000, syncIntervalMs: 3_600_000 });
    chain(harness, 2);
    harness.run(25 * 3_600_000);
    harness.stop('n0');
    const pins = harness.node('n0').logs.filter((l) => l.type === 'remember' && l.peer === harness.node('n1').id);
    const last = pins[pins.length - 1];
    assert.ok(last?.type === 'remember');
    assert.equal(last.lastSeen, harness.now, 'the last pin is as fresh as the stop');
    assert.ok(pins.length >= 25, 'refreshed every hour while connected');
  });
});
