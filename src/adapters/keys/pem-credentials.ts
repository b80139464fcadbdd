import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import type { NodeCredentials } from '../../application/ports/key-store.port';
import { ConfigurationError, type FileSource } from '../../application/configuration.error';
import { identityOfCertificate } from './identity-of';

/** Which files error messages name: the key file, the certificate file, and both together. */
export interface PemSources {
  readonly key: FileSource;
  readonly cert: FileSource;
  readonly pair: readonly FileSource[];
}

/** Key types node:tls can use with TLS 1.3 and that the contract promises. */
const SUPPORTED_KEY_TYPES = new Set(['ed25519', 'ec', 'rsa']);

/** Parses a PEM private key as openssl writes them: PKCS#8, SEC1 (`EC PRIVATE KEY`), PKCS#1 (`RSA PRIVATE KEY`). */
export function parsePrivateKey(pem: string, source: FileSource): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MISSING_PASSPHRASE' || /ENCRYPTED/.test(pem)) {
      throw ConfigurationError.inFiles([source], 'the key is encrypted; give an unencrypted PEM key', { cause: error });
    }
    throw ConfigurationError.inFiles([source], 'not a PEM private key', { cause: error });
  }
  const type = key.asymmetricKeyType ?? 'unknown';
  if (!SUPPORTED_KEY_TYPES.has(type)) {
    throw ConfigurationError.inFiles([source], `unsupported key type ${type} (use Ed25519, P-256 or RSA)`);
  }
  return key;
}

export function parseCertificate(pem: string, source: FileSource): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw ConfigurationError.inFiles([source], 'not a PEM certificate', { cause: error });
  }
}

/**
 * Checks that the key belongs to the certificate (same public key) and returns
 * credentials in a normalised form: the key as PKCS#8 PEM, the certificate
 * alone (without any chain that followed it in the file).
 */
export function credentialsFromPem(keyPem: string, certPem: string, sources: PemSources): NodeCredentials {
  const key = parsePrivateKey(keyPem, sources.key);
  const certificate = parseCertificate(certPem, sources.cert);
  const keySpki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  if (!keySpki.equals(certificate.publicKey.export({ type: 'spki', format: 'der' }))) {
    throw ConfigurationError.inFiles(sources.pair, 'the key does not match the certificate');
  }
  return {
    identity: identityOfCertificate(certificate),
    keyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certPem: certificate.toString(),
  };
}
