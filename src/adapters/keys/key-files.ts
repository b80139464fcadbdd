import { randomBytes } from 'node:crypto';
import { lstat, unlink } from 'node:fs/promises';
import type { Identity } from '../../domain/identity';
import { ConfigurationError, type FileSource } from '../../application/configuration.error';
import { generateCredentials } from './generate-credentials';
import { readTextSync, writeNew } from './text-files';

/**
 * Files written by `p2p-gossip keygen` and the network key read by
 * `--network-key`.
 *
 * Network key file format: UTF-8 text; lines starting with `#` and blank lines
 * are ignored; exactly one other line holds the key, as hex (an even number of
 * hex digits) or else as base64. At least 16 bytes; keygen writes 32 random
 * bytes as 64 hex digits under a comment line.
 */

export const NETWORK_KEY_BYTES = 32;
export const MIN_NETWORK_KEY_BYTES = 16;

/** Writes a new Ed25519 key (PKCS#8 PEM, mode 0600) and its self-signed certificate; never overwrites. */
export async function writeKeyPairFiles(keyPath: string, certPath: string): Promise<Identity> {
  const keySource: FileSource = { option: 'key', path: keyPath };
  const certSource: FileSource = { option: 'cert', path: certPath };
  await refuseExisting(keyPath, keySource);
  await refuseExisting(certPath, certSource);
  const credentials = await generateCredentials();
  await writeNew(keyPath, credentials.keyPem, 0o600, keySource);
  try {
    await writeNew(certPath, credentials.certPem, 0o644, certSource);
  } catch (error) {
    await unlink(keyPath).catch(() => undefined);
    throw error;
  }
  return credentials.identity;
}

/** Writes a new network key of 32 random bytes (mode 0600); never overwrites. */
export async function generateNetworkKeyFile(path: string): Promise<void> {
  const text =
    '# p2p-gossip network key: only nodes holding this file can join. Keep it secret.\n' +
    `${randomBytes(NETWORK_KEY_BYTES).toString('hex')}\n`;
  await writeNew(path, text, 0o600, { option: 'networkKey', path });
}

/** Reads a network key file (format above). */
export function readNetworkKey(path: string): Buffer {
  const source: FileSource = { option: 'networkKey', path };
  const lines = readTextSync(path, source)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const [text] = lines;
  if (text === undefined || lines.length > 1) {
    throw ConfigurationError.inFiles([source], 'expected one line holding the key as hex or base64 (see p2p-gossip keygen --network-key)');
  }
  let key: Buffer;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) key = Buffer.from(text, 'base64');
  else throw ConfigurationError.inFiles([source], 'the key is neither hex nor base64');
  if (key.length < MIN_NETWORK_KEY_BYTES) {
    throw ConfigurationError.inFiles([source], `the key is too short (${key.length} ${key.length === 1 ? 'byte' : 'bytes'}; at least ${MIN_NETWORK_KEY_BYTES} needed)`);
  }
  return key;
}

async function refuseExisting(path: string, source: FileSource): Promise<void> {
  try {
    await lstat(path);
  } catch {
    // Absent is what we want; any other problem is reported by the write itself.
    return;
  }
  throw ConfigurationError.inFiles([source], 'already exists; refusing to overwrite');
}
