import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flagOf } from '../../src/cli/node-options';
import { DEFAULT_CONFIG, nodeConfigSchema } from '../../src/main/config';
import { runCli } from './cli-harness';

/** The help text from one flag up to the next, on one line. */
function entryOf(help: string, flag: string): string {
  const start = help.search(new RegExp(`^\\s+${flag} <`, 'm'));
  assert.notEqual(start, -1, `${flag} is not in the help`);
  const rest = help.slice(start);
  const next = rest.slice(1).search(/\n\s+(--|-\w,)/);
  return (next === -1 ? rest : rest.slice(0, next + 1)).replace(/\s+/g, ' ');
}

describe('--help', () => {
  it('goes to stdout and exits 0', async () => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await runCli([flag]);
      assert.equal(code, 0);
      assert.equal(stderr.text, '');
      assert.match(stdout.text, /^Usage: p2p-gossip /);
    }
  });

  it('lists every option with its default', async () => {
    const { stdout } = await runCli(['--help']);
    for (const key of Object.keys(nodeConfigSchema.shape)) {
      const entry = entryOf(stdout.text, flagOf(key));
      const value = DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG];
      if (typeof value === 'number' || typeof value === 'string') assert.ok(entry.includes(`(default: ${value})`), entry);
      else assert.match(entry, /\(default: [^)]+\)/);
    }
  });

  it('shows the defaults of the contract', async () => {
    const { stdout } = await runCli(['--help']);
    assert.match(entryOf(stdout.text, '--period'), /\(default: 5\)/);
    assert.match(entryOf(stdout.text, '--port'), /\(default: 8080\)/);
    assert.match(entryOf(stdout.text, '--host'), /\(default: 0\.0\.0\.0\)/);
    assert.match(entryOf(stdout.text, '--connect'), /\(default: none: wait for peers\)/);
    assert.match(entryOf(stdout.text, '--reconnect-timeout'), /\(default: 86400\)/);
  });

  it('lists --config, --version and the commands', async () => {
    const { stdout } = await runCli(['--help']);
    assert.match(stdout.text, /--config <FILE>/);
    assert.match(stdout.text, /-V, --version/);
    assert.match(stdout.text, /^\s+keygen \[options\]/m);
    assert.match(stdout.text, /^\s+id \[options\]/m);
  });

  it('has help for each command', async () => {
    for (const argv of [['keygen', '--help'], ['help', 'keygen']]) {
      const { code, stdout, stderr } = await runCli(argv);
      assert.equal(code, 0, stderr.text);
      assert.match(stdout.text, /^Usage: p2p-gossip keygen /);
      assert.match(stdout.text, /--network-key <PATH>/);
    }
  });
});

describe('--version', () => {
  it('prints the version of package.json and exits 0', async () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const { code, stdout } = await runCli(['-V']);
    assert.equal(code, 0);
    assert.equal(stdout.text, `${manifest.version}\n`);
  });
});

describe('help for a command that does not exist', () => {
  it('is one usage line, exit 2, not the whole help', async () => {
    const { code, stdout, stderr } = await runCli(['help', 'bogus']);
    assert.equal(code, 2);
    assert.equal(stdout.text, '');
    assert.deepEqual(stderr.lines, ["p2p-gossip: help: unknown command 'bogus' (commands: keygen, id, members, broadcast, tags, leave, monitor)"]);
  });
});
