import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Address } from '../../src/domain/address';
import type { Identity } from '../../src/domain/identity';
import { MembershipProtocol } from '../../src/domain/membership-protocol';
import type { PeerEntry } from '../../src/domain/messages';
import { identityOf, ProtocolHarness, seededRandom, testOptions } from './protocol-harness';

const SELF = identityOf('self');
const FRIEND = identityOf('friend');

/** A protocol with one connected peer, ready to receive peer lists from it. */
function withOnePeer(maxPeers = 4096): MembershipProtocol {
  const protocol = new MembershipProtocol(testOptions(SELF, 1, seededRandom(1), { maxPeers }));
  protocol.start(0, []);
  protocol.connected({ id: 'c', peer: FRIEND, direction: 'inbound', remoteHost: '127.0.0.1' }, 0);
  protocol.received('c', { v: 1, t: 'hello', id: FRIEND, port: 2, digest: '0000000000000000' }, 0);
  return protocol;
}

function receiveList(protocol: MembershipProtocol, peers: readonly PeerEntry[]): void {
  protocol.received('c', { v: 1, t: 'peers', peers, ask: false }, 1);
}

function known(protocol: MembershipProtocol): string[] {
  return protocol.members().map((m) => m.id).sort();
}

const pool = Array.from({ length: 40 }, (_, i) => identityOf(`p${i}`));
const entry = fc.record({
  id: fc.oneof(fc.constantFrom(...pool, SELF), fc.string() as fc.Arbitrary<Identity>),
  addr: fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 70_000 })).map(([b, p]) => `10.0.0.${b}:${p}`),
    fc.string(),
  ) as fc.Arbitrary<Address>,
});

describe('peer-list merge (properties)', () => {
  it('is idempotent and order-independent', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 80 }), fc.integer(), (entries, seed) => {
        const once = withOnePeer();
        receiveList(once, entries);
        const twice = withOnePeer();
        receiveList(twice, entries);
        receiveList(twice, entries);
        const shuffled = withOnePeer();
        receiveList(shuffled, fc.sample(fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }), { numRuns: 1, seed })[0] ?? []);
        assert.deepEqual(known(twice), known(once));
        assert.deepEqual(known(shuffled), known(once));
      }),
      { numRuns: 200 },
    );
  });

  it('never lists itself and stays within its bounds whatever it is sent', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 300 }), fc.integer({ min: 5, max: 60 }), (entries, maxPeers) => {
        const protocol = withOnePeer(maxPeers);
        receiveList(protocol, entries);
        receiveList(protocol, entries.map((e, i) => ({ ...e, id: identityOf(`extra${i}`) })));
        const members = protocol.members();
        assert.ok(members.length <= maxPeers);
        assert.ok(!members.some((m) => m.id === SELF));
        assert.equal(new Set(members.map((m) => m.id)).size, members.length);
      }),
      { numRuns: 150 },
    );
  });
});

describe('join crawl (properties)', () => {
  it('over any connected graph of N nodes, ends with everyone connected to all N-1 others', () => {
    // Node i joins through a random earlier node, plus a few random extra seeds: any connected graph.
    const graph = fc.integer({ min: 2, max: 25 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.nat(), { minLength: n, maxLength: n }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: n }),
        fc.integer({ min: 1, max: 1_000_000 }),
      ),
    );
    fc.assert(
      fc.property(graph, ([n, parents, extra, seed]) => {
        const harness = new ProtocolHarness(seed, 1, {}, 3);
        const names = Array.from({ length: n }, (_, i) => `g${i}`);
        const seeds = names.map((_, i) => new Set<string>(i === 0 ? [] : [names[(parents[i] as number) % i] as string]));
        for (const [a, b] of extra) if (a % n !== b % n) seeds[a % n]?.add(names[b % n] as string);
        names.forEach((name) => harness.create(name));
        names.forEach((name, i) => harness.start(name, [...(seeds[i] ?? [])]));
        harness.run(3_000);
        assert.ok(harness.fullMesh(), `full mesh of ${n}`);
        assert.equal(harness.receiverListed, 0, 'no peer list names its receiver');
        for (const name of names) {
          const node = harness.node(name);
          assert.equal(node.protocol.members().filter((m) => m.state === 'connected').length, n - 1);
        }
      }),
      { numRuns: 60 },
    );
  });
});
