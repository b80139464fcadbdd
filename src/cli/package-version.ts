import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version in our package.json, found by walking up from this file: it sits
 * two levels up in the sources and three in the build (dist/src/cli).
 */
export function packageVersion(): string {
  for (let directory = __dirname; ; directory = dirname(directory)) {
    const version = versionIn(join(directory, 'package.json'));
    if (version !== undefined) return version;
    if (dirname(directory) === directory) return 'unknown';
  }
}

function versionIn(file: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
    return manifest.name === 'p2p-gossip' && typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}
