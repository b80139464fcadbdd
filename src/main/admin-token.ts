import { ConfigurationError, type FileSource } from '../application/configuration.error';
import { readTextSync } from '../adapters/keys/text-files';

/** `--admin-token`: the file holds one word; a missing or empty one is a configuration error (exit 2). */
export function readAdminToken(path: string): string {
  const source: FileSource = { option: 'adminToken', path };
  const token = readTextSync(path, source).trim();
  if (token === '') throw ConfigurationError.inFiles([source], 'the file is empty; it must hold the token');
  if (/\s/.test(token)) throw ConfigurationError.inFiles([source], 'the token must be one word, without spaces');
  return token;
}
