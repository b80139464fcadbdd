import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createSecureContext } from 'node:tls';
import { ConfigurationError } from '../../../src/application/configuration.error';
import { configurationError } from '../../support/configuration-error';
import type { NodeCredentials } from '../../../src/application/ports/key-store.port';
import { FileKeyStore } from '../../../src/adapters/keys/file-key-store';
import { identityOfCertificatePem } from '../../../src/adapters/keys/identity-of';
import { hasOpenssl, type OpensslKind, opensslIdentity, writeOpensslPair } from './openssl-fixtures';

function assertConsistent(credentials: NodeCredentials): void {
  const certificate = new X509Certificate(credentials.certPem);
  assert.equal(credentials.identity, identityOfCertificatePem(credentials.certPem));
  assert.match(credentials.identity, /^[0-9a-f]{64}$/);
  const keySpki = createPublicKey(createPrivateKey(credentials.keyPem)).export({ type: 'spki', format: 'der' });
  assert.deepEqual(keySpki, certificate.publicKey.export({ type: 'spki', format: 'der' }));
  createSecureContext({ key: credentials.keyPem, cert: credentials.certPem, minVersion: 'TLSv1.3' });
}

async function rejectsWith(promise: Promise<unknown>, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, configurationError(message));
}

describe('FileKeyStore', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'p2p-gossip-keys-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates an Ed25519 pair in memory when given no files', async () => {
    const store = new FileKeyStore();
    const credentials = await store.load();
    assertConsistent(credentials);
    assert.equal(createPrivateKey(credentials.keyPem).asymmetricKeyType, 'ed25519');
    assert.match(credentials.keyPem, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(await store.load(), credentials, 'load is done once');
    assert.notEqual((await new FileKeyStore().load()).identity, credentials.identity);
  });

  const kinds: OpensslKind[] = ['ed25519', 'p256-sec1', 'rsa-pkcs1'];
  for (const kind of kinds) {
    it(`reads a ${kind} key and certificate written by openssl`, { skip: !hasOpenssl && 'openssl not installed' }, async () => {
      const files = writeOpensslPair(dir, kind, kind);
      const credentials = await new FileKeyStore({ keyPath: files.key, certPath: files.cert }).load();
      assertConsistent(credentials);
      assert.equal(credentials.identity, opensslIdentity(files.cert));
    });
  }

  it('refuses a key that does not match the certificate', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
    const a = writeOpensslPair(dir, 'mismatch-a', 'ed25519');
    const b = writeOpensslPair(dir, 'mismatch-b', 'ed25519');
    await rejectsWith(
      new FileKeyStore({ keyPath: a.key, certPath: b.cert }).load(),
      `--key ${a.key} and --cert ${b.cert}: the key does not match the certificate`,
    );
  });

  it('names the flag and the file it cannot read', async () => {
    const missing = join(dir, 'missing.pem');
    const credentials = await new FileKeyStore().load();
    const cert = join(dir, 'present.crt');
    writeFileSync(cert, credentials.certPem);
    await rejectsWith(new FileKeyStore({ keyPath: missing, certPath: cert }).load(), `--key ${missing}: cannot read: ENOENT: no such file or directory`);
    const key = join(dir, 'present.key');
    writeFileSync(key, credentials.keyPem);
    await rejectsWith(new FileKeyStore({ keyPath: key, certPath: missing }).load(), `--cert ${missing}: cannot read: ENOENT: no such file or directory`);
  });

  it('tells a key from a certificate and refuses encrypted keys', async () => {
    const credentials = await new FileKeyStore().load();
    const cert = join(dir, 'swap.crt');
    const key = join(dir, 'swap.key');
    writeFileSync(cert, credentials.certPem);
    writeFileSync(key, credentials.keyPem);
    await rejectsWith(new FileKeyStore({ keyPath: cert, certPath: cert }).load(), `--key ${cert}: not a PEM private key`);
    await rejectsWith(new FileKeyStore({ keyPath: key, certPath: key }).load(), `--cert ${key}: not a PEM certificate`);
    const encrypted = join(dir, 'encrypted.key');
    writeFileSync(encrypted, createPrivateKey(credentials.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }));
    await rejectsWith(new FileKeyStore({ keyPath: encrypted, certPath: cert }).load(), /encrypted/);
  });

  describe('with a data dir', () => {
    it('creates node.key (0600) and node.crt once, and keeps the identity across restarts', async () => {
      const dataDir = join(dir, 'data', 'nested');
      const first = await new FileKeyStore({ dataDir }).load();
      assertConsistent(first);
      assert.equal(statSync(join(dataDir, 'node.key')).mode & 0o777, 0o600);
      assert.equal(readFileSync(join(dataDir, 'node.crt'), 'utf8'), first.certPem);
      const second = await new FileKeyStore({ dataDir }).load();
      assert.equal(second.identity, first.identity);
      assert.equal(second.certPem, first.certPem);
    });

    it('certifies the same key again when node.crt was lost', async () => {
      const dataDir = join(dir, 'lost-cert');
      const first = await new FileKeyStore({ dataDir }).load();
      unlinkSync(join(dataDir, 'node.crt'));
      const second = await new FileKeyStore({ dataDir }).load();
      assertConsistent(second);
      assert.equal(second.identity, first.identity);
    });

    it('refuses a certificate whose key was lost', async () => {
      const dataDir = join(dir, 'lost-key');
      await new FileKeyStore({ dataDir }).load();
      unlinkSync(join(dataDir, 'node.key'));
      await rejectsWith(new FileKeyStore({ dataDir }).load(), new RegExp(`^--data-dir ${dataDir} \\(node.crt\\): .*node.key is missing`));
    });

    it('prefers --key and --cert over the data dir', async () => {
      const dataDir = join(dir, 'unused');
      const credentials = await new FileKeyStore().load();
      const key = join(dir, 'explicit.key');
      const cert = join(dir, 'explicit.crt');
      writeFileSync(key, credentials.keyPem);
      writeFileSync(cert, credentials.certPem);
      const loaded = await new FileKeyStore({ keyPath: key, certPath: cert, dataDir }).load();
      assert.equal(loaded.identity, credentials.identity);
      assert.throws(() => statSync(dataDir), /ENOENT/);
    });

    it('reads a data dir pair that was put there by hand', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
      const dataDir = mkdtempSync(join(dir, 'by-hand-'));
      const files = writeOpensslPair(dir, 'by-hand', 'p256-sec1');
      copyFileSync(files.key, join(dataDir, 'node.key'));
      copyFileSync(files.cert, join(dataDir, 'node.crt'));
      assert.equal((await new FileKeyStore({ dataDir }).load()).identity, opensslIdentity(files.cert));
    });
  });
});

describe('FileKeyStore errors for a library', () => {
  it('name the key file neutrally, with the option in a field', async () => {
    const missing = join(tmpdir(), 'p2p-gossip-no-such-dir', 'node.key');
    await assert.rejects(new FileKeyStore({ keyPath: missing, certPath: missing }).load(), (error: unknown) => {
      assert.ok(error instanceof ConfigurationError);
      assert.match(error.message, new RegExp(`^(key|certificate) file ${missing}: cannot read: ENOENT`));
      assert.ok(['key', 'cert'].includes(error.sources[0]?.option ?? ''));
      return true;
    });
  });
});
