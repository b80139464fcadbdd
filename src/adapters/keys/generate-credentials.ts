import 'reflect-metadata';
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { NodeCredentials } from '../../application/ports/key-store.port';
import { identityOfPublicKey } from './identity-of';

// Node's webcrypto is the provider; the casts bridge Node's and the DOM's type names.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type GeneratorKeys = x509.X509CertificateCreateSelfSignedParams['keys'];

const ED25519 = { name: 'Ed25519' };

/**
 * Self-signed certificates are never checked for dates or chains (peers are
 * known by their key), so the validity only has to outlast any plausible use.
 */
const CERTIFICATE_YEARS = 100;

/** A fresh Ed25519 key (PKCS#8 PEM) and a self-signed X.509 certificate for it. */
export async function generateCredentials(): Promise<NodeCredentials> {
  const keys = (await webcrypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  return selfSign(keys, key.export({ type: 'pkcs8', format: 'pem' }).toString());
}

/**
 * A new self-signed certificate for an existing Ed25519 key (the data dir
 * uses it when node.crt was lost: the identity is the key's, so it survives).
 */
export async function certifyEd25519Key(privateKey: KeyObject): Promise<NodeCredentials> {
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const keys = {
    privateKey: await webcrypto.subtle.importKey('pkcs8', pkcs8, ED25519, true, ['sign']),
    publicKey: await webcrypto.subtle.importKey('spki', spki, ED25519, true, ['verify']),
  };
  return selfSign(keys, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

async function selfSign(keys: webcrypto.CryptoKeyPair, keyPem: string): Promise<NodeCredentials> {
  const identity = identityOfPublicKey(Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey)));
  const notBefore = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_YEARS);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // A positive serial: the leading zero keeps the top bit clear.
    serialNumber: `0${randomBytes(15).toString('hex')}`,
    name: `CN=p2p-gossip ${identity.slice(0, 16)}`,
    notBefore,
    notAfter,
    signingAlgorithm: ED25519,
    keys: keys as unknown as GeneratorKeys,
  });
  // Written out by node:crypto, so that generated and loaded PEM look alike.
  return { identity, keyPem, certPem: new X509Certificate(Buffer.from(certificate.rawData)).toString() };
}
