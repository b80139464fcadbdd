import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keygen, runCli } from './support/cli';
import { FAST, freePort, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('cli');

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got: ${stderr}`);
  assert.doesNotMatch(stderr, /\bat .+:\d+:\d+/, 'no stack trace');
  return lines[0] as string;
}

describe('the command line, as a user runs it', () => {
  it('prints every flag with its default on --help, to stdout, exit 0', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0);
    for (const flag of ['--period', '--port', '--host', '--advertise', '--connect', '--key', '--cert', '--heartbeat-interval', '--dead-after', '--data-dir', '--output', '--log-level', '--network-key', '--allow', '--config']) {
      assert.ok(result.stdout.includes(flag), `--help mentions ${flag}`);
    }
    assert.match(result.stdout, /8080/);
  });

  const badInput: [string[], RegExp][] = [
    [['--port', '70000'], /--port/],
    [['--port', 'abc'], /--port/],
    [['--period', '0'], /--period/],
    [['--period', '-1'], /--period/],
    [['--connect', 'nohostport'], /--connect/],
    [['--key', '/nonexistent/k.pem'], /--(key|cert)/],
    [['--key', '/nonexistent/k.pem', '--cert', '/nonexistent/c.pem'], /--key|--cert/],
    [['--output', 'xml'], /--output/],
    [['--log-level', 'loud'], /--log-level/],
    [['--config', '/nonexistent/p2p.yaml'], /p2p\.yaml/],
    [['--no-such-flag'], /--no-such-flag/],
  ];
  for (const [args, names] of badInput) {
    it(`exits 2 with one line naming the problem for ${args.join(' ')}`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 2, result.stderr);
      assert.match(oneLine(result.stderr), names);
      assert.equal(result.stdout, '');
    });
  }

  it('exits 2 naming the key of a bad YAML file', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'port: 70000\n');
    const result = await runCli(['--config', file]);
    assert.equal(result.code, 2);
    assert.match(oneLine(result.stderr), /port/);
  });

  it('exits 1 with one line naming the port when it is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runCli(['--host', '127.0.0.1', '--port', String(port)]);
      assert.equal(result.code, 1);
      assert.match(oneLine(result.stderr), new RegExp(String(port)));
    } finally {
      blocker.close();
    }
  });

  it('says goodbye on SIGTERM and SIGINT and exits 0; peers report peer_left', async () => {
    const portA = await freePort();
    const a = group.start('a', [...FAST, '--port', String(portA)]);
    await a.listening();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const b = group.start(`b ${signal}`, [...FAST, '--port', String(await freePort()), '--connect', `127.0.0.1:${portA}`]);
      const { id } = await b.listening();
      await a.connectedTo([id]);
      const exit = await b.stop(signal);
      assert.equal(exit.code, 0, `${signal} exits 0`);
      await a.waitFor(`peer_left after ${signal}`, (e) => e.event === 'peer_left' && e.peer === id, 5_000);
    }
    assert.equal(a.events.filter((e) => e.event === 'peer_dead').length, 0);
  });

  it('makes key pairs with keygen (mode 0600, never overwriting) and prints identities with id', async () => {
    const key = join(dir, 'k.pem');
    const cert = join(dir, 'c.pem');
    const printed = await keygen(['--key', key, '--cert', cert]);
    assert.equal(statSync(key).mode & 0o777, 0o600);
    const id = await runCli(['id', '--cert', cert]);
    assert.equal(id.code, 0);
    assert.match(id.stdout.trim(), /^[0-9a-f]{64}$/);
    assert.ok(printed.includes(id.stdout.trim()));
    const again = await runCli(['keygen', '--key', key, '--cert', cert]);
    assert.equal(again.code, 2);
    assert.match(oneLine(again.stderr), /k\.pem|c\.pem/);
  });

  it('runs with the identity of the key files it is given', async () => {
    const key = join(dir, 'n.pem');
    const cert = join(dir, 'n.crt');
    await keygen(['--key', key, '--cert', cert]);
    const id = (await runCli(['id', '--cert', cert])).stdout.trim();
    const node = group.start('n', [...FAST, '--port', '0', '--key', key, '--cert', cert]);
    const listening = await node.listening();
    assert.equal(listening.id, id);
    assert.doesNotMatch(listening.address, /:0$/, '--port 0 reports the real port');
  });
});
