import { type Identity, parseIdentity } from '../../domain/identity';
import { ConfigurationError, type FileSource } from '../../application/configuration.error';
import { readTextSync } from './text-files';

/**
 * Reads an allowlist file (`--allow`): one identity (64 hex digits) per line; `#` starts a
 * comment, blank lines are ignored. Any other line is an error naming the line.
 */
export function readAllowList(path: string): Set<Identity> {
  const source: FileSource = { option: 'allow', path };
  const allowed = new Set<Identity>();
  readTextSync(path, source)
    .split(/\r?\n/)
    .forEach((line, index) => {
      const text = line.replace(/#.*$/, '').trim();
      if (text === '') return;
      const identity = parseIdentity(text);
      if (identity === undefined) {
        const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
        throw ConfigurationError.inFiles([{ ...source, detail: `line ${index + 1}` }], `"${shown}" is not an identity (64 hex digits)`);
      }
      allowed.add(identity);
    });
  return allowed;
}
