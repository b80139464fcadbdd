import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeServices, runCli, runNode } from './cli-harness';

let directory = '';

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'p2p-gossip-config-'));
});

after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function configFile(name: string, text: string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, text);
  return path;
}

async function assertFileError(argv: string[], line: string): Promise<void> {
  const services = new FakeServices();
  const { code, stdout, stderr } = await runCli(argv, { services });
  assert.equal(code, 2);
  assert.equal(stdout.text, '');
  assert.deepEqual(stderr.lines, [line]);
  assert.equal(services.started.length, 0);
}

describe('a bad --config file is a usage error naming the file', () => {
  it('a missing file', async () => {
    const path = join(directory, 'missing.yaml');
    await assertFileError(['--config', path], `p2p-gossip: --config ${path}: cannot read: ENOENT: no such file or directory`);
  });

  it('a directory', async () => {
    await assertFileError(['--config', directory], `p2p-gossip: --config ${directory}: cannot read: EISDIR: illegal operation on a directory`);
  });

  it('invalid YAML', async () => {
    const path = await configFile('invalid.yaml', 'port: [8080\n');
    const { code, stderr } = await runCli(['--config', path]);
    assert.equal(code, 2);
    assert.equal(stderr.lines.length, 1);
    assert.match(stderr.text, new RegExp(`^p2p-gossip: ${path}: invalid YAML: .+ at line \\d+, column \\d+\\n$`));
  });

  it('a list instead of a mapping', async () => {
    const path = await configFile('list.yaml', '- period: 1\n');
    await assertFileError(['--config', path], `p2p-gossip: ${path}: must be a mapping of option names to values (got a list)`);
  });

  it('an unknown key', async () => {
    const path = await configFile('unknown.yaml', 'period: 1\ncolour: red\n');
    await assertFileError(['--config', path], `p2p-gossip: ${path}: colour: unknown key`);
  });

  it('a flag name instead of a key', async () => {
    const path = await configFile('kebab.yaml', 'dead-after: 9\n');
    await assertFileError(['--config', path], `p2p-gossip: ${path}: dead-after: unknown key (did you mean deadAfter?)`);
  });

  it('a bad value', async () => {
    const path = await configFile('port.yaml', 'port: 70000\n');
    await assertFileError(['--config', path], `p2p-gossip: ${path}: port: must be an integer from 0 to 65535 (got 70000)`);
  });

  it('a bad entry in a list', async () => {
    const path = await configFile('connect.yaml', 'connect:\n  - 127.0.0.1:8081\n  - nohostport\n');
    await assertFileError(['--config', path], `p2p-gossip: ${path}: connect[1]: must be host:port (got "nohostport")`);
  });
});

describe('the --config file and the flags', () => {
  it('the file sets options in camelCase, connect as a list', async () => {
    const path = await configFile('full.yaml', 'period: 0.2\nheartbeatInterval: 0.5\nconnect: [127.0.0.1:8081, "[::1]:8082"]\noutput: json\n');
    const { config } = await runNode(['--config', path]);
    assert.equal(config.period, 0.2);
    assert.equal(config.heartbeatInterval, 0.5);
    assert.deepEqual(config.connect, ['127.0.0.1:8081', '[::1]:8082']);
    assert.equal(config.output, 'json');
    assert.equal(config.port, 8080);
  });

  it('an empty file is no options', async () => {
    const path = await configFile('empty.yaml', '');
    const { config } = await runNode(['--config', path]);
    assert.equal(config.period, 5);
  });

  it('a flag beats the file, and the file still sets the rest', async () => {
    const path = await configFile('beaten.yaml', 'period: 2\nport: 9000\nconnect: [127.0.0.1:8081]\n');
    const { config } = await runNode(['--config', path, '--period', '0.5', '--connect', '127.0.0.1:9001']);
    assert.equal(config.period, 0.5);
    assert.equal(config.port, 9000);
    assert.deepEqual(config.connect, ['127.0.0.1:9001']);
  });

  it('a valid flag hides a bad value in the file', async () => {
    const path = await configFile('hidden.yaml', 'port: nonsense\n');
    const { config } = await runNode(['--config', path, '--port', '0']);
    assert.equal(config.port, 0);
  });

  it('a conflict between a flag and the file names both where they came from', async () => {
    const path = await configFile('conflict.yaml', 'key: node.key\n');
    await assertFileError(['--config', path], `p2p-gossip: ${path}: key: must be given together with --cert`);
  });
});

describe('the log level: --log-level, then LOG_LEVEL, then the file', () => {
  it('the file alone', async () => {
    const path = await configFile('warn.yaml', 'logLevel: warn\n');
    assert.equal((await runNode(['--config', path])).config.logLevel, 'warn');
  });

  it('LOG_LEVEL is read whatever its case', async () => {
    assert.equal((await runNode([], { env: { LOG_LEVEL: 'OFF' } })).config.logLevel, 'off');
  });

  it('LOG_LEVEL beats the file', async () => {
    const path = await configFile('warn-env.yaml', 'logLevel: warn\n');
    assert.equal((await runNode(['--config', path], { env: { LOG_LEVEL: 'debug' } })).config.logLevel, 'debug');
  });

  it('--log-level beats LOG_LEVEL', async () => {
    const { config } = await runNode(['--log-level', 'off'], { env: { LOG_LEVEL: 'debug' } });
    assert.equal(config.logLevel, 'off');
  });

  it('an empty LOG_LEVEL is unset', async () => {
    assert.equal((await runNode([], { env: { LOG_LEVEL: '' } })).config.logLevel, 'info');
  });

  it('a bad LOG_LEVEL is named as such', async () => {
    const { code, stderr } = await runCli([], { env: { LOG_LEVEL: 'loud' } });
    assert.equal(code, 2);
    assert.deepEqual(stderr.lines, ['p2p-gossip: LOG_LEVEL: must be one of trace, debug, info, warn, error, fatal, off (got "loud")']);
  });

  it('a bad LOG_LEVEL does not matter under --log-level', async () => {
    assert.equal((await runNode(['--log-level', 'trace'], { env: { LOG_LEVEL: 'loud' } })).config.logLevel, 'trace');
  });
});
