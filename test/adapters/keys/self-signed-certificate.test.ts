import 'reflect-metadata';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { connect, createServer, type TLSSocket } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { certifyEd25519Key, generateCredentials } from '../../../src/adapters/keys/generate-credentials';
import { identityOfCertificatePem } from '../../../src/adapters/keys/identity-of';
import { selfSignedEd25519Certificate } from '../../../src/adapters/keys/self-signed-certificate';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const dir = mkdtempSync(join(tmpdir(), 'p2p-gossip-certificate-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: readonly string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function written(name: string, pem: string): string {
  const path = join(dir, name);
  writeFileSync(path, pem);
  return path;
}

describe('the self-signed Ed25519 certificate (DER written by hand)', () => {
  it('is read by openssl as an X.509 v3 Ed25519 certificate with our name and dates, and verifies as self-signed', async () => {
    const { certPem, identity } = await generateCredentials();
    const path = written('generated.crt', certPem);
    const text = openssl(['x509', '-in', path, '-noout', '-text']);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ED25519/);
    assert.match(text, new RegExp(`Issuer: CN ?= ?p2p-gossip ${identity.slice(0, 16)}\\n`));
    assert.match(text, new RegExp(`Subject: CN ?= ?p2p-gossip ${identity.slice(0, 16)}\\n`));
    assert.match(text, /Public Key Algorithm: ED25519/);
    assert.match(openssl(['verify', '-CAfile', path, path]), /: OK\n$/);
    assert.equal(identityOfCertificatePem(certPem), identity);
  });

  it('is parsed by @peculiar/x509 with a valid signature, a positive serial and the dates asked for', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const notBefore = new Date('2049-12-31T23:59:59Z');
    const notAfter = new Date('2150-01-01T00:00:00Z');
    const pem = selfSignedEd25519Certificate(privateKey, { commonName: 'n'.repeat(200), notBefore, notAfter });
    const certificate = new x509.X509Certificate(pem);
    assert.equal(certificate.subject, `CN=${'n'.repeat(200)}`);
    assert.equal(certificate.issuer, certificate.subject);
    // The last UTCTime year and a GeneralizedTime one, to the second.
    assert.equal(certificate.notBefore.toISOString(), notBefore.toISOString());
    assert.equal(certificate.notAfter.toISOString(), notAfter.toISOString());
    assert.match(certificate.serialNumber, /^[4-7][0-9a-f]{31}$/);
    assert.equal(await certificate.verify({ signatureOnly: true }), true);
    assert.equal(new X509Certificate(pem).checkPrivateKey(privateKey), true);
  });

  it('always writes a serial that DER accepts (positive, minimal), whatever the random bytes', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const fields = { commonName: 'serial', notBefore: new Date(), notAfter: new Date(Date.now() + 1000) };
    // A leading zero byte would be a non-minimal integer: node:crypto could not read one in 256 certificates.
    for (let index = 0; index < 1000; index += 1) {
      assert.match(new X509Certificate(selfSignedEd25519Certificate(privateKey, fields)).serialNumber, /^[4-7][0-9A-F]{31}$/);
    }
  });

  it('certifies an existing key again with the same identity', async () => {
    const first = await generateCredentials();
    const again = await certifyEd25519Key(createPrivateKey(first.keyPem));
    assert.equal(again.identity, first.identity);
    assert.equal(identityOfCertificatePem(again.certPem), first.identity);
    assert.notEqual(again.certPem, first.certPem);
  });

  it('refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(() => selfSignedEd25519Certificate(privateKey, { commonName: 'x', notBefore: new Date(), notAfter: new Date() }), /not an Ed25519 key: ec/);
  });

  it('serves node:tls on both sides of a mutual TLS 1.3 handshake', async () => {
    const [server, client] = await Promise.all([generateCredentials(), generateCredentials()]);
    const listener = createServer({ key: server.keyPem, cert: server.certPem, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    const accepted = once(listener, 'secureConnection') as Promise<[TLSSocket]>;
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const { port } = listener.address() as { port: number };
    const socket = connect({ host: '127.0.0.1', port, key: client.keyPem, cert: client.certPem, rejectUnauthorized: false });
    try {
      await once(socket, 'secureConnect');
      const [serverSide] = await accepted;
      assert.equal(socket.getProtocol(), 'TLSv1.3');
      assert.equal(identityOfCertificatePem((socket.getPeerX509Certificate() as X509Certificate).toString()), server.identity);
      assert.equal(identityOfCertificatePem((serverSide.getPeerX509Certificate() as X509Certificate).toString()), client.identity);
      serverSide.destroy();
    } finally {
      socket.destroy();
      listener.close();
    }
  });
});
