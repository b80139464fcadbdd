import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

it('runs 50 nodes in one process over real TLS to a full mesh, and the process exits by itself after they stop', async () => {
  const fixture = join(__dirname, 'fifty-nodes.fixture.ts');
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    // The timeout kills a process that never exits: an open handle would do that.
    execFile(process.execPath, ['--require', 'ts-node/register', fixture], { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
  assert.equal(result.code, 0, `exit code; stderr: ${result.stderr}`);
  const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { ok: boolean; nodes: number };
  assert.deepEqual({ ok: report.ok, nodes: report.nodes }, { ok: true, nodes: 50 });
});
