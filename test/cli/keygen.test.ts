import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadServices } from '../../src/cli/cli-services';
import { runCli } from './cli-harness';

/* These run the real key writers, through the CLI's lazy loading. */

let directory = '';

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'p2p-gossip-keygen-'));
});

after(async () => {
  await rm(directory, { recursive: true, force: true });
});

const run = (argv: string[]): ReturnType<typeof runCli> => runCli(argv, { services: loadServices });

describe('keygen and id', () => {
  it('keygen writes a key pair and prints its identity; id prints the same', async () => {
    const key = join(directory, 'a.key');
    const cert = join(directory, 'a.crt');
    const generated = await run(['keygen', '--key', key, '--cert', cert]);
    assert.equal(generated.code, 0, generated.stderr.text);
    assert.match(generated.stdout.text, /^[0-9a-f]{64}\n$/);
    assert.equal((await stat(key)).mode & 0o777, 0o600);
    const shown = await run(['id', '--cert', cert]);
    assert.equal(shown.code, 0, shown.stderr.text);
    assert.equal(shown.stdout.text, generated.stdout.text);
  });

  it('keygen refuses to overwrite, exit 2 naming the file', async () => {
    const key = join(directory, 'b.key');
    const cert = join(directory, 'b.crt');
    await writeFile(key, 'precious\n');
    const { code, stdout, stderr } = await run(['keygen', '--key', key, '--cert', cert]);
    assert.equal(code, 2);
    assert.equal(stdout.text, '');
    assert.equal(stderr.lines.length, 1);
    assert.ok(stderr.text.startsWith(`p2p-gossip: --key ${key}: `), stderr.text);
    assert.match(stderr.text, /refusing to overwrite/);
    assert.equal(await readFile(key, 'utf8'), 'precious\n');
  });

  it('keygen --network-key writes a key once, then refuses', async () => {
    const networkKey = join(directory, 'network.key');
    assert.equal((await run(['keygen', '--network-key', networkKey])).code, 0);
    const written = await readFile(networkKey, 'utf8');
    const again = await run(['keygen', '--network-key', networkKey]);
    assert.equal(again.code, 2);
    assert.match(again.stderr.text, new RegExp(`^p2p-gossip: --network-key ${networkKey}: .*refusing to overwrite\\n$`));
    assert.equal(await readFile(networkKey, 'utf8'), written);
  });

  it('keygen needs both --key and --cert, in different files', async () => {
    const key = join(directory, 'c.key');
    assert.deepEqual((await run(['keygen', '--key', key])).stderr.lines, ['p2p-gossip: keygen: --key: must be given together with --cert']);
    const same = await run(['keygen', '--key', key, '--cert', key]);
    assert.equal(same.code, 2);
    assert.deepEqual(same.stderr.lines, ['p2p-gossip: keygen: --key and --cert must be different files']);
    assert.deepEqual((await run(['keygen'])).stderr.lines, ['p2p-gossip: keygen: give --key and --cert, or --network-key']);
  });

  it('id names a missing or unusable certificate, exit 2', async () => {
    const missing = join(directory, 'missing.crt');
    const absent = await run(['id', '--cert', missing]);
    assert.equal(absent.code, 2);
    assert.deepEqual(absent.stderr.lines, [`p2p-gossip: --cert ${missing}: cannot read: ENOENT: no such file or directory`]);
    const garbage = join(directory, 'garbage.crt');
    await writeFile(garbage, 'not a certificate\n');
    const unusable = await run(['id', '--cert', garbage]);
    assert.equal(unusable.code, 2);
    assert.deepEqual(unusable.stderr.lines, [`p2p-gossip: --cert ${garbage}: not a PEM certificate`]);
  });
});
