import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const RUN = join(__dirname, '..', '..', 'src', 'cli', 'run.ts');

/** Runs the real entry point in a child process, as the launcher does (but from the sources). */
function runProcess(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--require', 'ts-node/register', RUN, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Runs a node from the sources with a bug preloaded that throws once it listens. */
function runCrashingNode(crash: 'exception' | 'rejection', logLevel: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = ['--require', 'ts-node/register', '--require', CRASH, RUN, '--port', '0', '--host', '127.0.0.1', '--output', 'json', '--log-level', logLevel];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: 30_000, env: { ...process.env, CRASH: crash } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const CRASH = join(__dirname, 'crash-after-listening.ts');

describe('the process entry point', () => {
  for (const crash of ['exception', 'rejection'] as const) {
    it(`turns an uncaught ${crash} into one line and exit 1; its stack is logged at debug only`, async () => {
      const quiet = await runCrashingNode(crash, 'warn');
      assert.equal(quiet.code, 1);
      assert.match(quiet.stdout, /"event":"listening"/);
      assert.equal(quiet.stderr, 'p2p-gossip: boom: a bug nobody caught\n');

      const debug = await runCrashingNode(crash, 'debug');
      assert.equal(debug.code, 1);
      const lines = debug.stderr.trim().split('\n');
      assert.equal(lines.filter((line) => !line.startsWith('{')).join('\n'), 'p2p-gossip: boom: a bug nobody caught');
      const record = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: number; msg: string; err?: { stack?: string } }).find((r) => r.msg === 'unexpected error');
      assert.equal(record?.level, 20);
      assert.match(record?.err?.stack ?? '', /crash-after-listening/);
    });
  }

  it('exits 0 after --help, on stdout', async () => {
    const { code, stdout, stderr } = await runProcess(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /^Usage: p2p-gossip/);
    assert.equal(stderr, '');
  });

  it('exits 2 with one line on stderr for --period -1', async () => {
    const { code, stdout, stderr } = await runProcess(['--period', '-1']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, 'p2p-gossip: --period: must be a number of seconds greater than 0 (got "-1")\n');
  });
});
