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

/**
 * Every handshake computes one of these. An Ed25519 key's SPKI has exactly one
 * DER encoding, so the bytes in the certificate are what an export would give:
 * hashing them in place skips building a key object and re-encoding it (about
 * a tenth of a handshake's CPU). Any other key goes through the export, which
 * normalises encodings that may differ (a compressed EC point, say).
 */
export function identityOfCertificate(certificate: X509Certificate): Identity {
  const spki = ed25519Spki(certificate.raw);
  return identityOfPublicKey(spki ?? certificate.publicKey.export({ type: 'spki', format: 'der' }));
}

/** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (32 bytes of key) }: the whole SPKI but its 32 key bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const ED25519_SPKI_LENGTH = ED25519_SPKI_PREFIX.length + 32;

/** The certificate's SubjectPublicKeyInfo if it is an Ed25519 key's; undefined for any other key or anything unexpected. */
function ed25519Spki(der: Buffer): Buffer | undefined {
  const certificate = readHeader(der, 0);
  const tbs = certificate && certificate.tag === 0x30 ? readHeader(der, certificate.body) : undefined;
  if (!tbs || tbs.tag !== 0x30) return undefined;
  // tbsCertificate: [0] version (optional), serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo.
  let field = readHeader(der, tbs.body);
  if (field?.tag === 0xa0) field = readHeader(der, field.end);
  for (let skip = 0; skip < 5 && field; skip += 1) field = readHeader(der, field.end);
  if (!field || field.tag !== 0x30 || field.end - field.start !== ED25519_SPKI_LENGTH) return undefined;
  const spki = der.subarray(field.start, field.end);
  return spki.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX) ? spki : undefined;
}

interface Header {
  readonly tag: number;
  /** Where the element starts (its tag), where its contents start, and where it ends. */
  readonly start: number;
  readonly body: number;
  readonly end: number;
}

/** One DER element's tag and extent at `offset`; undefined if it does not fit in `der`. */
function readHeader(der: Buffer, offset: number): Header | undefined {
  if (offset + 2 > der.length) return undefined;
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let body = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 3 || body + bytes > der.length) return undefined;
    length = 0;
    for (let index = 0; index < bytes; index += 1) length = length * 256 + (der[body + index] as number);
    body += bytes;
  }
  const end = body + length;
  return end > der.length ? undefined : { tag, start: offset, body, end };
}
