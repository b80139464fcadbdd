import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { identityOfCertificatePem } from '../../../src/adapters/keys/identity-of';
import { generateCredentials } from '../../../src/adapters/keys/generate-credentials';
import { hasOpenssl, opensslIdentity, type OpensslKind, writeOpensslPair } from './openssl-fixtures';

describe('identity of a certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'p2p-gossip-identity-of-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is the hash of the key of a certificate we made (Ed25519, read in place)', async () => {
    const credentials = await generateCredentials();
    assert.equal(identityOfCertificatePem(credentials.certPem), credentials.identity);
  });

  for (const kind of ['ed25519', 'p256-sec1', 'rsa-pkcs1'] as OpensslKind[]) {
    it(`is what openssl computes for a ${kind} certificate`, { skip: !hasOpenssl && 'openssl is not installed' }, () => {
      const { cert } = writeOpensslPair(dir, kind, kind);
      assert.equal(identityOfCertificatePem(readFileSync(cert, 'utf8')), opensslIdentity(cert));
    });
  }
});
