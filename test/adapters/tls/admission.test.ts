import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Identity } from '../../../src/domain/identity';
import { admissionFailure, prepareAdmission, type Role } from '../../../src/adapters/tls/admission';

const CLIENT = 'c'.repeat(64) as Identity;
const SERVER = '5'.repeat(64) as Identity;

function side(mine: Role, networkKey: Buffer | undefined, keyingMaterial: Buffer): ReturnType<typeof prepareAdmission> {
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

  it('refuses a peer without a key when we have one, and the other way round', () => {
    const open = side('client', undefined, session);
    assert.deepEqual(open.frame, { v: 1, t: 'auth' });
    assert.match(admissionFailure(open.frame, side('server', key, session).expected) ?? '', /did not prove/);
    assert.match(admissionFailure(side('client', key, session).frame, undefined) ?? '', /we have none/);
    assert.equal(admissionFailure(open.frame, undefined), undefined);
  });
});
