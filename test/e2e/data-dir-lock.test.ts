import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './support/cli';
import { FAST, freePorts, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('lock');

/** The pid of a process that has exited: a real dead pid for a stale lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  assert.ok(child.pid !== undefined);
  return child.pid;
}

describe('one process per data dir', () => {
  it('refuses a second process on the same data dir: exit 1, one line naming the dir and the holder', async () => {
    const dataDir = join(dir, 'shared');
    const [portA, portB] = (await freePorts(2)) as [number, number];
    const a = group.start('a', [...FAST, '--port', String(portA), '--data-dir', dataDir]);
    const { id } = await a.listening();
    assert.equal(readFileSync(join(dataDir, 'lock'), 'utf8').trim(), String(a.pid));

    const second = await runCli(['--port', String(portB), '--host', '127.0.0.1', '--data-dir', dataDir, '--output', 'json']);
    assert.equal(second.code, 1);
    assert.equal(second.stdout, '', 'it never listened');
    const lines = second.stderr.trim().split('\n');
    assert.equal(lines.length, 1, second.stderr);
    assert.match(lines[0] as string, /^p2p-gossip: /);
    assert.ok(lines[0]?.includes(dataDir), lines[0]);
    assert.ok(lines[0]?.includes(`pid ${a.pid}`), lines[0]);
    assert.ok(a.running, 'the holder runs on');

    assert.equal((await a.stop('SIGINT')).code, 0);
    assert.ok(!existsSync(join(dataDir, 'lock')), 'the lock is released on exit');
    const again = group.start('a again', [...FAST, '--port', String(portA), '--data-dir', dataDir]);
    assert.equal((await again.listening()).id, id, 'same identity from the data dir');
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dataDir = join(dir, 'stale');
    mkdirSync(dataDir);
    const stale = await deadPid();
    writeFileSync(join(dataDir, 'lock'), `${stale}\n`);
    const [port] = (await freePorts(1)) as [number];
    const node = group.start('node', [...FAST, '--port', String(port), '--data-dir', dataDir]);
    await node.listening();
    assert.equal(readFileSync(join(dataDir, 'lock'), 'utf8').trim(), String(node.pid));
    assert.equal((await node.stop('SIGTERM')).code, 0);
    assert.ok(!existsSync(join(dataDir, 'lock')));
  });

  it('lets exactly one of several simultaneous starts on an empty data dir run, with one identity', async () => {
    for (let round = 0; round < 3; round += 1) {
      const dataDir = join(dir, `race${round}`);
      const ports = await freePorts(3);
      const racers = ports.map((port, i) => group.start(`racer ${round}.${i}`, [...FAST, '--port', String(port), '--data-dir', dataDir]));
      const outcomes = await Promise.all(
        racers.map(async (racer) => {
          await racer.until('listening or exit', () => !racer.running || racer.events.some((e) => e.event === 'listening'), 20_000);
          return racer.running ? 'running' : (await racer.exited).code;
        }),
      );
      assert.deepEqual([...outcomes].sort(), [1, 1, 'running'].sort(), `round ${round}: ${JSON.stringify(outcomes)}`);
      const winner = racers[outcomes.indexOf('running')];
      assert.ok(winner);
      const { id } = await winner.listening();
      for (const loser of racers.filter((racer) => racer !== winner)) {
        assert.equal(loser.stderr.length, 1, loser.stderr.join('\n'));
        assert.match(loser.stderr[0] as string, new RegExp(`^p2p-gossip: --data-dir ${dataDir}: in use by another p2p-gossip process \\(pid ${winner.pid}\\)`));
      }
      const fromCert = await runCli(['id', '--cert', join(dataDir, 'node.crt')]);
      assert.equal(fromCert.stdout.trim(), id, 'the key pair on disk is the winner’s');
      assert.equal((await winner.stop('SIGINT')).code, 0);
    }
  });
});
