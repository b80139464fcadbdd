import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Key pairs written by the `openssl` command line, the way users make them. */
export type OpensslKind = 'ed25519' | 'p256-sec1' | 'rsa-pkcs1';

export const hasOpenssl = ((): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function openssl(args: readonly string[]): Buffer {
  return execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes `<name>.key` and `<name>.crt` into `dir`; returns their paths. */
export function writeOpensslPair(dir: string, name: string, kind: OpensslKind): { key: string; cert: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  if (kind === 'ed25519') openssl(['genpkey', '-algorithm', 'ed25519', '-out', key]);
  if (kind === 'p256-sec1') openssl(['ecparam', '-genkey', '-name', 'prime256v1', '-out', key]);
  if (kind === 'rsa-pkcs1') openssl(['genrsa', '-traditional', '-out', key, '2048']);
  openssl(['req', '-new', '-x509', '-key', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`]);
  return { key, cert };
}

/** The identity of a certificate as openssl computes it: SHA-256 of the DER public key. */
export function opensslIdentity(certPath: string): string {
  const pem = openssl(['x509', '-in', certPath, '-pubkey', '-noout']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pem });
  return createHash('sha256').update(der).digest('hex');
}
