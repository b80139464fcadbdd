import { createPublicKey, type KeyObject, randomBytes, sign, X509Certificate } from 'node:crypto';

/**
 * One fixed certificate template, written in DER by hand: a self-signed
 * X.509 v3 certificate of an Ed25519 key (RFC 5280, RFC 8410), with a
 * random positive serial, `CN=<name>` as subject and issuer, and no
 * extensions. Peers are known by their key, never by the certificate's
 * fields, so nothing more is needed; building it here spares every start
 * that makes a new identity the loading of an X.509 library (~100 ms).
 * The tests check the result with `openssl x509`, `openssl verify`,
 * @peculiar/x509 and node:tls.
 */

/** id-Ed25519, 1.3.101.112: the key's algorithm and the signature's (RFC 8410). */
const ED25519_ALGORITHM = Buffer.from([0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70]);
/** id-at-commonName, 2.5.4.3. */
const COMMON_NAME = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
/** [0] EXPLICIT INTEGER 2: version v3. */
const VERSION_3 = Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02]);
/** Bytes of the random serial (RFC 5280 allows up to 20). */
const SERIAL_BYTES = 16;
/** UTCTime holds the years 1950 to 2049; later dates are GeneralizedTime (RFC 5280, 4.1.2.5). */
const LAST_UTC_TIME_YEAR = 2049;

const SEQUENCE = 0x30;
const SET = 0x31;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const UTF8_STRING = 0x0c;
const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

export interface CertificateFields {
  /** The subject's and issuer's common name. */
  readonly commonName: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** A self-signed certificate of `privateKey` (Ed25519 only), as PEM. */
export function selfSignedEd25519Certificate(privateKey: KeyObject, fields: CertificateFields): string {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key: ${privateKey.asymmetricKeyType}`);
  const serial = randomBytes(SERIAL_BYTES);
  // DER integers are minimal and signed: the first byte is neither 0 nor past 0x7f.
  serial[0] = ((serial[0] as number) & 0x3f) | 0x40;
  const name = der(SEQUENCE, der(SET, der(SEQUENCE, COMMON_NAME, der(UTF8_STRING, Buffer.from(fields.commonName, 'utf8')))));
  const tbs = der(
    SEQUENCE,
    VERSION_3,
    der(INTEGER, serial),
    ED25519_ALGORITHM,
    name,
    der(SEQUENCE, time(fields.notBefore), time(fields.notAfter)),
    name,
    createPublicKey(privateKey).export({ type: 'spki', format: 'der' }),
  );
  const certificate = der(SEQUENCE, tbs, ED25519_ALGORITHM, bitString(sign(null, tbs, privateKey)));
  // Parsed and written out by node:crypto, so that generated and loaded PEM look alike.
  return new X509Certificate(certificate).toString();
}

/** One DER element: tag, definite length, contents. */
function der(tag: number, ...contents: readonly Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

function length(bytes: number): Buffer {
  if (bytes < 0x80) return Buffer.from([bytes]);
  const octets: number[] = [];
  for (let rest = bytes; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

/** A BIT STRING of whole bytes: no unused bits. */
function bitString(bytes: Buffer): Buffer {
  return der(BIT_STRING, Buffer.from([0]), bytes);
}

/** UTCTime `YYMMDDHHMMSSZ` or GeneralizedTime `YYYYMMDDHHMMSSZ`, to the second. */
function time(date: Date): Buffer {
  const digits = date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:T]/g, '');
  const year = date.getUTCFullYear();
  if (year <= LAST_UTC_TIME_YEAR) return der(UTC_TIME, Buffer.from(digits.slice(2), 'ascii'));
  return der(GENERALIZED_TIME, Buffer.from(digits, 'ascii'));
}
