import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Address } from '../../src/domain/address';
import { MembershipProtocol } from '../../src/domain/membership-protocol';
import { identityOf, seededRandom, testOptions } from './protocol-harness';

const SEED = '127.0.0.1:9001' as Address;
const KNOWN = '127.0.0.1:9002' as Address;

function protocol(): MembershipProtocol {
  return new MembershipProtocol(testOptions(identityOf('self'), 9000, seededRandom(1)));
}

describe('dials to new identities (what readiness waits for)', () => {
  it('counts a dial to a seed, whose identity is not known yet, until it ends', () => {
    const node = protocol();
    const effects = node.start(0, [SEED]);
    assert.ok(effects.some((effect) => effect.type === 'dial' && effect.address === SEED));
    assert.equal(node.dialsToNewIdentities(), 1);
    node.dialFailed(SEED, { reason: 'unreachable', detail: 'refused' }, 10);
    assert.equal(node.dialsToNewIdentities(), 0);
  });

  it('does not count the redial of a peer reached before (a remembered pin)', () => {
    const node = protocol();
    const effects = node.start(0, [], [{ id: identityOf('known'), address: KNOWN, lastSeen: 0 }]);
    assert.ok(effects.some((effect) => effect.type === 'dial' && effect.address === KNOWN));
    assert.equal(node.dialsToNewIdentities(), 0);
  });
});
