import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';

it('runs the embedding example: a greeting crosses, and the host output adapter sees the events', () => {
  const example = join(__dirname, '..', '..', 'examples', 'two-nodes.ts');
  const stdout = execFileSync(process.execPath, ['--require', 'ts-node/register', example], { encoding: 'utf8', timeout: 30_000 });
  assert.match(stdout, /alpha got "hello from beta" from [0-9a-f]{12} at 127\.0\.0\.1:\d+/);
  assert.match(stdout, /alpha knows [0-9a-f]{12} \(connected\)/);
  assert.match(stdout, /beta's own output adapter saw: listening, peer_connected/);
});
