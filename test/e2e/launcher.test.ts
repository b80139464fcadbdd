import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './support/cli';
import { BIN, temporaryDirectory } from './support/node-process';

const ROOT = join(__dirname, '..', '..');
const dir = temporaryDirectory('launcher');

/** A copy of the launcher in an install of its own, with only the given files of the build. */
function install(name: string, files: Readonly<Record<string, string | Buffer>>): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'bin'), { recursive: true });
  mkdirSync(join(root, 'dist'), { recursive: true });
  copyFileSync(BIN, join(root, 'bin', 'p2p-gossip'));
  copyFileSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  for (const [file, content] of Object.entries(files)) writeFileSync(join(root, file), content);
  return join(root, 'bin', 'p2p-gossip');
}

describe('the launcher (bin/p2p-gossip)', () => {
  it('says how to build when the bundle is missing: one line, exit 1', async () => {
    const result = await runCli(['--version'], {}, 15_000, install('unbuilt', {}));
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^p2p-gossip: not built yet: run `npm install` \(or `npm run build`\) in .+ first \(see the README\)\n$/);
  });

  it('runs the bundle alone, without node_modules, and ignores a code cache it cannot use', async () => {
    const bin = install('stale-cache', { 'dist/cli.js': readFileSync(join(ROOT, 'dist', 'cli.js')), 'dist/cli.js.cache': 'not a code cache' });
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const result = await runCli(['--version'], {}, 15_000, bin);
    assert.deepEqual(result, { code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
