import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { eventually } from './support/admin';
import { canMountTmpfs, type DiskFailure, failingDisk, type FailingDisk, nearlyFullDisk } from './support/failing-disk';
import { runCli } from './support/cli';
import { FAST, freePorts, type CliProcess, processesPerTest } from './support/node-process';

const group = processesPerTest();
// E2E_NO_MOUNT=1 runs the variant for sandboxes that cannot mount, as a check of it.
const mountable = process.env['E2E_NO_MOUNT'] === undefined && canMountTmpfs();
const disks: FailingDisk[] = [];
after(() => {
  for (const disk of disks) disk.dispose();
});

const WARN = 40;
const INFO = 30;
const FAILING = 'cannot write the peer store';
const WRITTEN_AGAIN = 'the peer store is written again';

interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

function records(node: CliProcess): LogRecord[] {
  return node.stderr.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as LogRecord);
}

function storeRecords(node: CliProcess, level: number, text: string): LogRecord[] {
  return records(node).filter((record) => record.level === level && record.msg.startsWith(text));
}

/** A stack frame (`    at fn (file:1:2)`) anywhere on stderr, as a line or inside a record. */
function assertNoStackTrace(node: CliProcess): void {
  const stacky = node.stderr.filter((line) => /\bat .+:\d+:\d+\)?(\\n|$)/.test(line) || line.includes('"stack"'));
  assert.deepEqual(stacky, [], `${node.name} printed a stack trace`);
}

function peersFile(dataDir: string): string {
  return join(dataDir, 'peers.json');
}

function storedIds(dataDir: string): string[] {
  const file = peersFile(dataDir);
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as { peers: { id: string }[] }).peers.map((peer) => peer.id);
}

/** Waits, with a deadline, for a condition on a file; rechecked on every line `node` prints (its pings arrive 5 times a second). */
function untilStored(node: CliProcess, dataDir: string, ids: readonly string[]): Promise<void> {
  return node.until(`peers.json holding ${ids.length} peers`, () => ids.every((id) => storedIds(dataDir).includes(id)), 20_000);
}

/** The store's two gauges, scraped from /metrics. */
async function storeMetrics(admin: string): Promise<{ writable: number; failedWrites: number }> {
  const text = await (await fetch(`${admin}/metrics`)).text();
  const gauge = (name: string): number => {
    assert.match(text, new RegExp(`^# TYPE ${name} gauge$`, 'm'));
    const sample = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
    assert.ok(sample, `no ${name} sample`);
    return Number(sample[1]);
  };
  return { writable: gauge('p2p_gossip_store_writable'), failedWrites: gauge('p2p_gossip_store_failed_writes') };
}

function pingsFrom(node: CliProcess, peer: string, since: number): number {
  return node.events.slice(since).filter((e) => e.event === 'ping_received' && e.peer === peer).length;
}

for (const failure of ['ENOSPC', 'EROFS'] as const satisfies readonly DiskFailure[]) {
  describe(`a data dir on a disk that fails with ${failure}`, () => {
    it('costs persistence, not the node: one warn, the last good file kept, one info once writes work, exit 0', async (t) => {
      const disk = failingDisk(failure, mountable);
      disks.push(disk);
      if (disk.code !== failure) t.diagnostic(`cannot mount a tmpfs here: the disk fails with ${disk.code} instead of ${failure}`);
      const [portA, portB, portC, portD] = (await freePorts(4)) as [number, number, number, number];
      const a = group.start('a', [...FAST, '--port', String(portA), '--data-dir', disk.dataDir, '--admin', '127.0.0.1:0'], { env: { LOG_LEVEL: 'info' } });
      const { id: idA } = await a.listening();
      const admin = `http://${String(a.events.find((e) => e.event === 'listening')?.['admin'])}`;
      const viaA = ['--connect', `127.0.0.1:${portA}`];
      const b = group.start('b', [...FAST, '--port', String(portB), ...viaA]);
      const { id: idB } = await b.listening();
      await a.connectedTo([idB]);
      await untilStored(a, disk.dataDir, [idB]);
      assert.deepEqual(await storeMetrics(admin), { writable: 1, failedWrites: 0 });
      const lastGood = readFileSync(peersFile(disk.dataDir), 'utf8');

      disk.fail();
      const c = group.start('c', [...FAST, '--port', String(portC), ...viaA]);
      const { id: idC } = await c.listening();
      await a.connectedTo([idC]);
      await a.until('the warn record', () => storeRecords(a, WARN, FAILING).length > 0, 20_000);
      const [warning] = storeRecords(a, WARN, FAILING);
      assert.match(String(warning?.['error']), new RegExp(`peers\\.json.* cannot be written: ${disk.code}`));
      // Still doing its job: pings flow both ways with both peers, after the failure.
      const since = a.events.length;
      await a.until('pings from b and c after the failure', () => pingsFrom(a, idB, since) >= 3 && pingsFrom(a, idC, since) >= 3);
      await c.until('pings from a', () => pingsFrom(c, idA, 0) >= 3);
      assert.ok(a.running);
      assert.equal(readFileSync(peersFile(disk.dataDir), 'utf8'), lastGood, 'the last good peers.json is intact');
      const failing = await storeMetrics(admin);
      assert.equal(failing.writable, 0, 'p2p_gossip_store_writable is 0 while writes fail');
      assert.ok(failing.failedWrites >= 1, `p2p_gossip_store_failed_writes ${failing.failedWrites}`);
      // Readiness is about the view of the mesh, not the disk: b and c are connected, so ready.
      await eventually('ready while the disk fails', async () => ((await fetch(`${admin}/readyz`)).status === 200 ? true : undefined), 20_000);
      assert.equal((await storeMetrics(admin)).writable, 0, 'still failing while ready');

      disk.heal();
      await a.until('the info record', () => storeRecords(a, INFO, WRITTEN_AGAIN).length > 0, 45_000);
      await untilStored(a, disk.dataDir, [idB, idC]);
      assert.deepEqual(await storeMetrics(admin), { writable: 1, failedWrites: 0 }, 'writable again');
      assert.equal((await fetch(`${admin}/readyz`)).status, 200);
      assert.equal(storeRecords(a, WARN, FAILING).length, 1, 'one warn for the whole failure');
      assert.equal(storeRecords(a, INFO, WRITTEN_AGAIN).length, 1);

      // Failing again, then stopped while it fails: the last write at stop fails quietly, and the stop goes on.
      disk.fail();
      const d = group.start('d', [...FAST, '--port', String(portD), ...viaA]);
      const { id: idD } = await d.listening();
      await a.connectedTo([idD]);
      const beforeStop = readFileSync(peersFile(disk.dataDir), 'utf8');
      assert.equal((await a.stop('SIGINT')).code, 0);
      assert.equal(readFileSync(peersFile(disk.dataDir), 'utf8'), beforeStop, 'the file survives a failed write at stop');
      assert.equal(storeRecords(a, WARN, FAILING).length, 2, 'one warn per failure');
      assertNoStackTrace(a);
      assert.deepEqual(records(a).filter((record) => record.level >= 50), [], 'no error records');
      disk.heal();
    });
  });
}

describe('a data dir on a disk too full for the first start', () => {
  it('is a start failure: exit 1, one line naming the file, no torn key left; it starts once there is room', async (t) => {
    const disk = nearlyFullDisk(mountable);
    disks.push(disk);
    if (disk.code !== 'ENOSPC') t.diagnostic(`cannot mount a tmpfs here: the start fails with ${disk.code} instead`);
    disk.fail();
    const args = ['--port', '0', '--host', '127.0.0.1', '--data-dir', disk.dataDir, '--output', 'json'];
    const failed = await runCli(args, { LOG_LEVEL: 'warn' });
    assert.equal(failed.code, 1, failed.stderr);
    assert.equal(failed.stdout, '');
    const lines = failed.stderr.trim().split('\n');
    assert.equal(lines.length, 1, failed.stderr);
    const cause = disk.code === 'ENOSPC' ? String.raw`\(node\.key\): cannot write: ENOSPC` : 'EISDIR';
    assert.match(lines[0] as string, new RegExp(`^p2p-gossip: --data-dir ${disk.dataDir}.*${cause}`));
    assert.ok(!existsSync(join(disk.dataDir, 'node.key')), 'no torn key is left to be refused later');
    assert.ok(!existsSync(join(disk.dataDir, 'lock')) || disk.code === 'EISDIR', 'the lock is released');

    disk.heal();
    const node = group.start('after', ['--port', '0', '--data-dir', disk.dataDir]);
    await node.listening();
    assert.equal((await node.stop('SIGINT')).code, 0);
  });
});
