import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeServices, runCli } from './cli-harness';

/** Exit 2, one plain line on stderr naming the flag, nothing on stdout, no node started. */
async function assertUsageError(argv: string[], names: string, says: RegExp): Promise<void> {
  const services = new FakeServices();
  const { code, stdout, stderr } = await runCli(argv, { services });
  assert.equal(code, 2, stderr.text);
  assert.equal(stdout.text, '');
  assert.equal(stderr.lines.length, 1, stderr.text);
  const [line = ''] = stderr.lines;
  assert.ok(line.startsWith(`p2p-gossip: ${names}`), line);
  assert.match(line, says);
  assert.doesNotMatch(stderr.text, /\bat .+:\d+:\d+/);
  assert.equal(services.started.length, 0);
}

describe('a bad flag value is a usage error naming the flag', () => {
  it('--port 70000', () => assertUsageError(['--port', '70000'], '--port: ', /integer from 0 to 65535 \(got "70000"\)/));
  it('--port abc', () => assertUsageError(['--port', 'abc'], '--port: ', /\(got "abc"\)/));
  it('--period 0', () => assertUsageError(['--period', '0'], '--period: ', /greater than 0 \(got "0"\)/));
  it('--period -1 is an invalid period, not an unknown option', () =>
    assertUsageError(['--period', '-1'], '--period: ', /^p2p-gossip: --period: must be a number of seconds greater than 0 \(got "-1"\)$/));
  it('--period=-1', () => assertUsageError(['--period=-1'], '--period: ', /greater than 0/));
  it('--period without a value', () => assertUsageError(['--period'], '', /--period <S>.*missing/));
  it('--period beyond what a timer can hold', () => assertUsageError(['--period', '1e10'], '--period: ', /at most 2147483 seconds/));
  it('--connect nohostport', () => assertUsageError(['--connect', 'nohostport'], '--connect: ', /host:port \(got "nohostport"\)/));
  it('a bad --connect among good ones', () =>
    assertUsageError(['--connect', '127.0.0.1:8081', '--connect', 'x:99999'], '--connect: ', /\(got "x:99999"\)/));
  it('--advertise without a port', () => assertUsageError(['--advertise', 'example.org'], '--advertise: ', /host:port/));
  it('--host that is no address', () => assertUsageError(['--host', 'not a host'], '--host: ', /IP address or host name/));
  it('--key without --cert', () => assertUsageError(['--key', 'node.key'], '--key: ', /together with --cert$/));
  it('--cert without --key', () => assertUsageError(['--cert', 'node.crt'], '--cert: ', /together with --key$/));
  it('--output xml', () => assertUsageError(['--output', 'xml'], '--output: ', /text or json \(got "xml"\)/));
  it('--log-level loud', () => assertUsageError(['--log-level', 'loud'], '--log-level: ', /trace, debug, info, warn, error, fatal, off \(got "loud"\)/));
  it('--dead-after not above --heartbeat-interval', () =>
    assertUsageError(['--dead-after', '0.5', '--heartbeat-interval', '1'], '--dead-after: ', /greater than --heartbeat-interval, 1 s \(got 0.5\)/));
  it('--heartbeat-interval above the default --dead-after', () =>
    assertUsageError(['--heartbeat-interval', '10'], '--dead-after: ', /greater than --heartbeat-interval, 10 s \(got 5\)/));
  it('--reconnect-max 0', () => assertUsageError(['--reconnect-max', '0'], '--reconnect-max: ', /greater than 0/));
  it('--reconnect-timeout abc', () => assertUsageError(['--reconnect-timeout', 'abc'], '--reconnect-timeout: ', /greater than 0/));
});

describe('a bad command line is a usage error', () => {
  it('an unknown flag', () => assertUsageError(['--colour', 'red'], "unknown option '--colour'", /^[^\n]+$/));
  it('a misspelt flag gets a suggestion on the same line', () =>
    assertUsageError(['--peroid', '1'], "unknown option '--peroid'", /Did you mean --period\?/));
  it('an unknown command', () => assertUsageError(['start'], "unknown command 'start'", /keygen, id/));
  it('an extra word after a command', () => assertUsageError(['keygen', 'now'], "too many arguments for 'keygen'", /^[^\n]+$/));
  it('id without --cert', () => assertUsageError(['id'], "required option '--cert <PATH>'", /not specified/));
  it('node flags before a subcommand', () =>
    assertUsageError(['--port', '1', 'keygen', '--network-key', 'x'], '--port: ', /not an option of keygen/));
});
