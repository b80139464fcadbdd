import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Identity } from '../../../src/domain/identity';
import { admissionFailure, type NetworkKeys, prepareAdmission, type Role } from '../../../src/adapters/tls/admission';

const CLIENT = 'c'.repeat(64) as Identity;
const SERVER = '5'.repeat(64) as Identity;

function side(mine: Role, networkKey: NetworkKeys | undefined, keyingMaterial: Buffer): ReturnType<typeof prepareAdmission> {
  const [own, peer] = mine === 'client' ? [CLIENT, SERVER] : [SERVER, CLIENT];
  return prepareAdmission({ networkKey, keyingMaterial: () => keyingMaterial, mine, own, peer });
}

describe('network-key admission', () => {
  const key = randomBytes(32);
  const session = randomBytes(32);

  it('admits both sides of one session holding the same key', () => {
    const client = side('client', key, session);
    const server = side('server', key, session);
    assert.equal(admissionFailure(server.frame, client.expected), undefined);
    assert.equal(admissionFailure(client.frame, server.expected), undefined);
    assert.ok(!client.frame.mac?.includes(key.toString('hex')));
  });

  it('refuses a reflected MAC, a MAC from another session, and another key', () => {
    const server = side('server', key, session);
    assert.match(admissionFailure(server.frame, server.expected) ?? '', /different network key/);
    assert.match(admissionFailure(side('client', key, randomBytes(32)).frame, server.expected) ?? '', /different/);
    assert.match(admissionFailure(side('client', randomBytes(32), session).frame, server.expected) ?? '', /different/);
  });

  it('with several keys, proves with the first and admits a proof made with any of them', () => {
    const [next, other] = [randomBytes(32), randomBytes(32)];
    const rotating = side('server', [key, next], session);
    assert.deepEqual(rotating.frame, side('server', key, session).frame, 'the first key proves');
    assert.equal(admissionFailure(side('client', key, session).frame, rotating.expected), undefined);
    assert.equal(admissionFailure(side('client', next, session).frame, rotating.expected), undefined);
    assert.equal(admissionFailure(side('client', [next, key], session).frame, rotating.expected), undefined);
    assert.match(admissionFailure(side('client', other, session).frame, rotating.expected) ?? '', /different network key/);
    assert.match(admissionFailure(side('client', [other, key], session).frame, rotating.expected) ?? '', /different network key/, 'only the first key proves');
    assert.equal(admissionFailure(rotating.frame, side('client', [next, key], session).expected), undefined);
    assert.match(admissionFailure(rotating.frame, side('client', next, session).expected) ?? '', /different network key/);
  });

  it('refuses a peer without a key when we have one, and the other way round', () => {
    const open = side('client', undefined, session);
    assert.deepEqual(open.frame, { v: 1, t: 'auth' });
    assert.match(admissionFailure(open.frame, side('server', key, session).expected) ?? '', /did not prove/);
    assert.match(admissionFailure(side('client', key, session).frame, undefined) ?? '', /we have none/);
    assert.equal(admissionFailure(open.frame, undefined), undefined);
  });
});
