import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/domain/address';
import { everReached, type PeerState, type PeerStatus } from '../../src/domain/peer';
import { PeerTable } from '../../src/domain/peer-table';
import { identityOf } from './protocol-harness';

const SELF = identityOf('self');
const PEER = identityOf('peer');
const ADDRESS = '10.0.0.1:8080' as Address;

function statusOf(state: PeerState): PeerStatus {
  switch (state) {
    case 'candidate':
      return { state, attempts: 0, nextDialAt: 0 };
    case 'connected':
      return { state, connection: 'c1' };
    case 'disconnected':
      return { state, attempts: 0, nextDialAt: undefined, deathWatch: 'watching' };
    case 'left':
      return { state };
  }
}

/** Every move of the protocol, written out: anything not here must be refused. */
const ALLOWED: readonly string[] = [
  'candidate → connected',
  'connected → disconnected',
  'connected → left',
  'disconnected → connected',
  'disconnected → left',
  'left → connected',
];

const STATES: readonly PeerState[] = ['candidate', 'connected', 'disconnected', 'left'];

describe('peer state transitions', () => {
  for (const from of STATES) {
    for (const to of STATES) {
      const move = `${from} → ${to}`;
      const allowed = ALLOWED.includes(move);
      it(`${allowed ? 'allows' : 'refuses'} ${move}`, () => {
        const table = new PeerTable(10, 1_000);
        const peer = table.add(PEER, ADDRESS, 0, statusOf(from));
        assert.ok(peer);
        if (allowed) {
          table.move(peer, statusOf(to));
          assert.equal(peer.status.state, to);
        } else {
          assert.throws(() => table.move(peer, statusOf(to)), /no transition/);
          assert.equal(peer.status.state, from, 'a refused move changes nothing');
        }
        // The digest counts every peer that has not left, whatever path led there.
        const fresh = new PeerTable(10, 1_000);
        fresh.add(PEER, ADDRESS, 0, statusOf(peer.status.state));
        assert.equal(table.digestFor(SELF, identityOf('other')), fresh.digestFor(SELF, identityOf('other')));
      });
    }
  }

  it('counts every state but candidate as ever reached', () => {
    const table = new PeerTable(10, 1_000);
    for (const state of STATES) {
      const peer = table.add(identityOf(state), ADDRESS, 0, statusOf(state));
      assert.ok(peer);
      assert.equal(everReached(peer), state !== 'candidate', state);
    }
  });

  it('passes on only peers connected now: to an established receiver, established or reached ones; strangers only to strangers', () => {
    const table = new PeerTable(10, 1_000);
    for (const state of STATES) table.add(identityOf(state), ADDRESS, 0, statusOf(state));
    const stranger = table.add(identityOf('connected stranger'), ADDRESS, 0, statusOf('connected'));
    const established = table.get(identityOf('connected'));
    assert.ok(stranger && established);
    established.established = true;
    const member = table.add(identityOf('member'), ADDRESS, 0, statusOf('disconnected'));
    assert.ok(member?.established, 'restored from the store: established');
    const ids = (receiver: string): string[] => table.entriesFor(identityOf(receiver)).map((entry) => entry.id).sort();
    assert.deepEqual(ids('member'), [identityOf('connected')], 'never a candidate, a disconnected or a left peer, nor a stranger');
    stranger.reachedAt = ADDRESS;
    assert.deepEqual(ids('member'), [identityOf('connected'), identityOf('connected stranger')].sort(), 'a stranger we dialled and met is vouched for');
    stranger.reachedAt = undefined;
    assert.deepEqual(ids('newcomer'), [identityOf('connected'), identityOf('connected stranger')].sort(), 'strangers are passed on to strangers');
  });
});
