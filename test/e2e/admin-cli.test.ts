import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { eventually, members, startAdminNode } from './support/admin';
import { runCli } from './support/cli';
import { BIN, freePort, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('admin-cli');

describe('the client subcommands, against a real node', () => {
  it('members: a table like serf members, JSON with --output json, filtered by --state and --tag', async () => {
    const a = await startAdminNode(group, 'a', ['--tag', 'role=seed']);
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress, '--tag', 'role=db']);
    // Connected, and measured: the RTT column then shows a figure.
    await eventually('b in a, with a round trip', async () => ((await members(a)).members.some((m) => m.id === b.id && m.state === 'connected' && m.rttMs !== null) ? true : undefined));
    const table = await runCli(['members', '--admin', a.admin]);
    assert.equal(table.code, 0, table.stderr);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^ID +ADDRESS +STATE +RTT +TAGS$/);
    assert.equal(lines.length, 2);
    // b's --tag travelled in its hello: the TAGS column shows it, the RTT column its round trip.
    assert.match(lines[1] ?? '', new RegExp(`^${b.id.slice(0, 12)} +${b.peerAddress.replace(/\./g, '\\.')} +connected +\\d+\\.\\dms +role=db$`));
    const asJson = await runCli(['members', '--output', 'json'], { P2P_GOSSIP_ADMIN: a.admin });
    assert.equal(asJson.code, 0, asJson.stderr);
    const view = JSON.parse(asJson.stdout) as { self: { id: string; tags: unknown }; members: { id: string; tags: unknown }[] };
    assert.equal(view.self.id, a.id);
    assert.deepEqual(view.self.tags, { role: 'seed' });
    assert.deepEqual(view.members.map((m) => m.id), [b.id]);
    assert.deepEqual(view.members[0]?.tags, { role: 'db' });
    const none = await runCli(['members', '--admin', a.admin, '--output', 'json', '--state', 'dead']);
    assert.deepEqual((JSON.parse(none.stdout) as { members: unknown[] }).members, []);
    const byTag = await runCli(['members', '--admin', a.admin, '--output', 'json', '--tag', 'role=web']);
    assert.deepEqual((JSON.parse(byTag.stdout) as { members: unknown[] }).members, []);
    const tagged = await runCli(['members', '--admin', a.admin, '--output', 'json', '--tag', 'role=db']);
    assert.equal(tagged.code, 0, tagged.stderr);
    assert.deepEqual((JSON.parse(tagged.stdout) as { members: { id: string }[] }).members.map((m) => m.id), [b.id], 'the matching member is kept');
    const taggedTable = await runCli(['members', '--admin', a.admin, '--tag', 'role=db', '--state', 'connected']);
    assert.equal(taggedTable.stdout.trimEnd().split('\n').length, 2);
    assert.match(taggedTable.stdout, new RegExp(`\\n${b.id.slice(0, 12)} `));
    const matching = await runCli(['members', '--admin', a.admin, '--output', 'json', '--state', 'connected']);
    assert.equal((JSON.parse(matching.stdout) as { members: unknown[] }).members.length, 1);
  });

  it('broadcast, tags --set/--delete and leave do what the endpoints do and exit 0', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'cli-token\n');
    const a = await startAdminNode(group, 'a', ['--admin-token', tokenFile, '--tag', 'role=db', '--tag', 'old=1']);
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id]);
    const sent = await runCli(['broadcast', 'hello from the CLI', '--admin', a.admin, '--admin-token', tokenFile]);
    assert.deepEqual(sent, { code: 0, stdout: 'sent to 1 peer\n', stderr: '' });
    await b.process.waitFor('the broadcast', (e) => e.event === 'ping_received' && e.message === 'hello from the CLI');
    const tags = await runCli(['tags', '--set', 'role=web', '--set', 'dc=x', '--delete', 'old', '--admin', a.admin, '--admin-token', tokenFile]);
    assert.deepEqual(tags, { code: 0, stdout: 'tags: role=web dc=x\n', stderr: '' });
    assert.deepEqual((await members(a)).self.tags, { role: 'web', dc: 'x' });
    const updated = await b.process.waitFor('peer_updated from a', (e) => e.event === 'peer_updated' && e.peer === a.id);
    assert.deepEqual(updated['tags'], { role: 'web', dc: 'x' });
    assert.deepEqual((await members(b)).members.find((m) => m.id === a.id)?.tags, { role: 'web', dc: 'x' });
    const refused = await runCli(['broadcast', 'no token', '--admin', a.admin]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^p2p-gossip: 127\.0\.0\.1:\d+: .*Bearer/);
    const left = await runCli(['leave', '--admin', a.admin, '--admin-token', tokenFile]);
    assert.equal(left.code, 0, left.stderr);
    assert.deepEqual(await a.process.exited, { code: 0, signal: null });
  });

  it('monitor prints events as they happen, in text or JSON, until interrupted (exit 0)', async () => {
    const a = await startAdminNode(group, 'a');
    for (const output of ['text', 'json'] as const) {
      // b pings a every period: whenever monitor has subscribed, a ping_received of b's follows.
      const b = await startAdminNode(group, `b-${output}`, ['--connect', a.peerAddress]);
      await a.process.connectedTo([b.id]);
      const monitor = spawn(BIN, ['monitor', '--admin', a.admin, '--output', output], { stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: string[] = [];
      let wake = (): void => undefined;
      createInterface({ input: monitor.stdout }).on('line', (line) => {
        lines.push(line);
        wake();
      });
      const exited = new Promise<number | null>((resolve) => monitor.once('exit', (code) => resolve(code)));
      const shown = (what: string, wanted: (line: string) => boolean): Promise<string> =>
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`monitor --output ${output} showed no ${what}: ${lines.join('\n')}`)), 15_000);
          wake = () => {
            const line = lines.find(wanted);
            if (line === undefined) return;
            clearTimeout(timer);
            resolve(line);
          };
          wake();
        });
      try {
        const short = b.id.slice(0, 12);
        const ping = await shown('ping from b', output === 'json' ? (line) => line.includes('"event":"ping_received"') && line.includes(b.id) : (line) => line.includes(`received ping from ${short}`));
        if (output === 'json') {
          const record = JSON.parse(ping) as Record<string, unknown>;
          assert.deepEqual(record, a.process.events.find((e) => e.event === 'ping_received' && e.ts === record['ts'] && e['message'] === record['message']));
        } else {
          assert.match(ping, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z received ping from /);
        }
        // And what happens next, as it happens.
        await b.process.stop();
        await shown('b leaving', output === 'json' ? (line) => line.includes('"event":"peer_disconnected"') && line.includes(b.id) : (line) => line.includes(`disconnected from ${short}`));
      } finally {
        monitor.kill('SIGINT');
      }
      assert.equal(await exited, 0);
    }
  });

  it('an unreachable node is exit 1 with one line naming the address; usage errors are exit 2', async () => {
    const port = await freePort();
    const unreachable = await runCli(['members', '--admin', `127.0.0.1:${port}`]);
    assert.equal(unreachable.code, 1);
    assert.equal(unreachable.stderr, `p2p-gossip: cannot reach the admin API at 127.0.0.1:${port}: connection refused (is the node running with --admin?)\n`);
    const usage: [string[], RegExp][] = [
      [['members'], /^p2p-gossip: --admin: required/],
      [['members', '--admin', 'nowhere'], /^p2p-gossip: --admin: must be host:port/],
      [['members', '--admin', `127.0.0.1:${port}`, '--state', 'asleep'], /^p2p-gossip: --state: must be one of/],
      [['members', '--admin', `127.0.0.1:${port}`, '--output', 'xml'], /^p2p-gossip: --output: must be text or json/],
      [['tags', '--admin', `127.0.0.1:${port}`, '--set', 'novalue'], /^p2p-gossip: --set: must be KEY=VALUE/],
      [['tags', '--admin', `127.0.0.1:${port}`], /^p2p-gossip: tags: give --set/],
      [['broadcast', '--admin', `127.0.0.1:${port}`], /^p2p-gossip: missing required argument/],
      [['leave', '--admin', `127.0.0.1:${port}`, '--admin-token', join(dir, 'absent')], /^p2p-gossip: --admin-token .*: cannot read/],
    ];
    for (const [args, message] of usage) {
      const result = await runCli(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, result.stderr);
    }
  });
});
