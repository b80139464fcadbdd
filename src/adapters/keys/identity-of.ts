import { createHash, X509Certificate } from 'node:crypto';
import type { Identity } from '../../domain/identity';

/** The identity of a public key: SHA-256 of its DER SubjectPublicKeyInfo, in lowercase hex. */
export function identityOfPublicKey(spkiDer: Buffer): Identity {
  return createHash('sha256').update(spkiDer).digest('hex') as Identity;
}

/** The identity of the key in a PEM certificate. Throws if the text is not a certificate. */
export function identityOfCertificatePem(pem: string): Identity {
  return identityOfCertificate(new X509Certificate(pem));
}

export function identityOfCertificate(certificate: X509Certificate): Identity {
  return identityOfPublicKey(certificate.publicKey.export({ type: 'spki', format: 'der' }));
}
