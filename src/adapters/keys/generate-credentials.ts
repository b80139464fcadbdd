import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { NodeCredentials } from '../../application/ports/key-store.port';
import { identityOfPublicKey } from './identity-of';
import { selfSignedEd25519Certificate } from './self-signed-certificate';

const generateKeyPairAsync = promisify(generateKeyPair);

/**
 * Self-signed certificates are never checked for dates or chains (peers are
 * known by their key), so the validity only has to outlast any plausible use.
 */
const CERTIFICATE_YEARS = 100;

/** A fresh Ed25519 key (PKCS#8 PEM) and a self-signed X.509 certificate for it. */
export async function generateCredentials(): Promise<NodeCredentials> {
  const { privateKey } = await generateKeyPairAsync('ed25519');
  return certifyEd25519Key(privateKey);
}

/**
 * A new self-signed certificate for an existing Ed25519 key (the data dir
 * uses it when node.crt was lost: the identity is the key's, so it survives).
 */
export async function certifyEd25519Key(privateKey: KeyObject): Promise<NodeCredentials> {
  const identity = identityOfPublicKey(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const notBefore = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const notAfter = new Date(notBefore);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + CERTIFICATE_YEARS);
  const certPem = selfSignedEd25519Certificate(privateKey, { commonName: `p2p-gossip ${identity.slice(0, 16)}`, notBefore, notAfter });
  return { identity, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certPem };
}
