import { inject, injectable } from 'inversify';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyStore, NodeCredentials } from '../../application/ports/key-store.port';
import { ConfigurationError, type FileSource } from '../../application/configuration.error';
import { certifyEd25519Key, generateCredentials } from './generate-credentials';
import { credentialsFromPem, parsePrivateKey } from './pem-credentials';
import { fileErrorReason } from '../../application/file-error-reason';
import { isErrorCode, readText, writeNew } from './text-files';

/** The key files and data dir, bound in the container under this token. */
export const FileKeyStoreOptions = Symbol('FileKeyStoreOptions');

/** Key and certificate files come together or not at all: the type says so, as the config schema does. */
export type FileKeyStoreOptions = (
  | {
      /** `--key`: a PEM private key. */
      readonly keyPath: string;
      /** `--cert`: a PEM certificate for that key. */
      readonly certPath: string;
    }
  | { readonly keyPath?: undefined; readonly certPath?: undefined }
) & {
  /** `--data-dir`: without key and certificate files, the node's own pair is created here once and reused. */
  readonly dataDir?: string;
};

/** File names of the node's own key pair inside the data dir. */
export const DATA_DIR_KEY_FILE = 'node.key';
export const DATA_DIR_CERT_FILE = 'node.crt';

/**
 * The node's key pair, from the first source that applies:
 * 1. `--key` and `--cert` files (Ed25519, P-256 or RSA, as openssl writes them);
 * 2. `node.key` + `node.crt` in the data dir, created on first start, so the
 *    identity survives restarts;
 * 3. a fresh Ed25519 pair in memory (a new identity on every start).
 * `load` reads once; later calls return the same credentials.
 */
@injectable()
export class FileKeyStore implements KeyStore {
  private loaded: Promise<NodeCredentials> | undefined;

  constructor(@inject(FileKeyStoreOptions) private readonly options: FileKeyStoreOptions = {}) {}

  load(): Promise<NodeCredentials> {
    this.loaded ??= this.loadOnce();
    return this.loaded;
  }

  private async loadOnce(): Promise<NodeCredentials> {
    const { keyPath, certPath, dataDir } = this.options;
    // The config schema already refuses one of --key and --cert without the other.
    if (keyPath !== undefined && certPath !== undefined) return readPemFiles(keyPath, certPath);
    if (dataDir !== undefined) return loadOrCreateInDataDir(dataDir);
    return generateCredentials();
  }
}

async function readPemFiles(keyPath: string, certPath: string): Promise<NodeCredentials> {
  const key: FileSource = { option: 'key', path: keyPath };
  const cert: FileSource = { option: 'cert', path: certPath };
  const [keyPem, certPem] = await Promise.all([readText(keyPath, key), readText(certPath, cert)]);
  return credentialsFromPem(keyPem, certPem, { key, cert, pair: [key, cert] });
}

async function loadOrCreateInDataDir(dataDir: string): Promise<NodeCredentials> {
  const directory: FileSource = { option: 'dataDir', path: dataDir };
  const keyPath = join(dataDir, DATA_DIR_KEY_FILE);
  const certPath = join(dataDir, DATA_DIR_CERT_FILE);
  const keySource: FileSource = { ...directory, detail: `(${DATA_DIR_KEY_FILE})` };
  const certSource: FileSource = { ...directory, detail: `(${DATA_DIR_CERT_FILE})` };
  const [hasKey, hasCert] = await Promise.all([exists(keyPath, keySource), exists(certPath, certSource)]);
  if (hasKey && hasCert) {
    const [keyPem, certPem] = await Promise.all([readText(keyPath, keySource), readText(certPath, certSource)]);
    return credentialsFromPem(keyPem, certPem, {
      key: keySource,
      cert: certSource,
      pair: [{ ...directory, detail: `(${DATA_DIR_KEY_FILE} and ${DATA_DIR_CERT_FILE})` }],
    });
  }
  if (hasCert) {
    throw ConfigurationError.inFiles(
      [certSource],
      `the certificate is there but its key ${DATA_DIR_KEY_FILE} is missing; restore the key or remove the certificate to start with a new identity`,
    );
  }
  if (hasKey) {
    // Creation was interrupted between the two files, or the certificate was deleted:
    // the identity is the key's, so certify the same key again.
    const key = parsePrivateKey(await readText(keyPath, keySource), keySource);
    if (key.asymmetricKeyType !== 'ed25519') {
      throw ConfigurationError.inFiles([certSource], `missing, and only an Ed25519 ${DATA_DIR_KEY_FILE} can be certified again`);
    }
    const credentials = await certifyEd25519Key(key);
    await writeNew(certPath, credentials.certPem, 0o644, certSource);
    return credentials;
  }
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw ConfigurationError.inFiles([directory], `cannot create: ${fileErrorReason(error)}`, { cause: error });
  }
  const credentials = await generateCredentials();
  // The key first: if we stop in between, the next start certifies it again.
  await writeNew(keyPath, credentials.keyPem, 0o600, keySource);
  await writeNew(certPath, credentials.certPem, 0o644, certSource);
  return credentials;
}

async function exists(path: string, source: FileSource): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return false;
    throw ConfigurationError.inFiles([source], `cannot read: ${fileErrorReason(error)}`, { cause: error });
  }
}
