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

describe('the process entry point', () => {
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
