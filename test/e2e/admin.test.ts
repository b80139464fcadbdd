import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { eventually, members, startAdminNode } from './support/admin';
import { runCli } from './support/cli';
import { ESTABLISH_MS, freePort, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('admin');

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; type: string }> {
  const response = await fetch(url, init);
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, type, body: type.startsWith('application/json') ? (JSON.parse(text) as unknown) : text };
}

const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A tiny parser of the Prometheus text format: TYPE lines and samples with their labels. */
function parsePrometheus(text: string): { types: Map<string, string>; samples: { name: string; labels: Record<string, string>; value: number }[] } {
  const types = new Map<string, string>();
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP')) continue;
    const type = /^# TYPE (\S+) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      types.set(type[1] as string, type[2] as string);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(sample, `not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] as string] = pair[2] as string;
    const value = Number(sample[3]);
    // Values are read as Go's ParseFloat does, NaN in any case: prom-client writes `Nan` for a gauge with no sample yet.
    assert.ok(!Number.isNaN(value) || /^nan$/i.test(sample[3] as string), `bad value in: ${line}`);
    samples.push({ name: sample[1] as string, labels, value });
  }
  return { types, samples };
}

describe('the admin API, on real processes', () => {
  it('lists members with state, lastSeen, rttMs and tags, and self with its tags; listening carries admin and tags', async () => {
    const a = await startAdminNode(group, 'a', ['--tag', 'role=db', '--tag', 'zone=eu-1']);
    const listening = a.process.events.find((e) => e.event === 'listening');
    assert.deepEqual(listening?.['tags'], { role: 'db', zone: 'eu-1' });
    assert.match(a.admin, /^127\.0\.0\.1:\d+$/);
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    assert.deepEqual(b.process.events.find((e) => e.event === 'listening')?.['tags'], {}, 'tags always, {} when none');
    const view = await eventually('b connected in a', async () => {
      const current = await members(a);
      return current.members.some((m) => m.id === b.id && m.state === 'connected') ? current : undefined;
    });
    assert.deepEqual(view.self, { id: a.id, address: a.peerAddress, tags: { role: 'db', zone: 'eu-1' } });
    const member = view.members.find((m) => m.id === b.id);
    assert.equal(member?.address, b.peerAddress);
    assert.match(member?.lastSeen ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(member?.tags, {});
    assert.ok(member?.rttMs === null || typeof member?.rttMs === 'number');
  });

  it('streams every event as Server-Sent Events, in the JSON of --output json', async () => {
    const a = await startAdminNode(group, 'a');
    const response = await fetch(`${a.url}/v1/events`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 15_000;
    while (!/"event":"ping_received"/.test(text) && Date.now() < deadline) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value);
    }
    await reader.cancel();
    const records = text.split('\n\n').filter((block) => block.startsWith('data: ')).map((block) => JSON.parse(block.slice(6)) as Record<string, unknown>);
    const connected = records.find((record) => record['event'] === 'peer_connected');
    assert.equal(connected?.['peer'], b.id);
    const printed = a.process.events.find((e) => e.event === 'peer_connected' && e.peer === b.id);
    assert.deepEqual(connected, printed, 'the same record as stdout');
    assert.ok(records.some((record) => record['event'] === 'ping_received' && record['peer'] === b.id));
  });

  it('broadcasts a message to every connected peer and answers how many', async () => {
    const a = await startAdminNode(group, 'a');
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id]);
    const answer = await call(`${a.url}/v1/broadcast`, json('POST', { message: 'hello from the API' }));
    assert.deepEqual(answer, { status: 200, type: 'application/json; charset=utf-8', body: { peers: 1 } });
    await b.process.waitFor('the broadcast', (e) => e.event === 'ping_received' && e.peer === a.id && e.message === 'hello from the API');
  });

  it('replaces tags with PUT /v1/tags within the limits, and refuses a bad tag changing nothing', async () => {
    const a = await startAdminNode(group, 'a', ['--tag', 'role=db']);
    assert.deepEqual(await call(`${a.url}/v1/tags`, json('PUT', { tags: { role: 'web', dc: 'x' } })), {
      status: 200, type: 'application/json; charset=utf-8', body: { tags: { role: 'web', dc: 'x' } },
    });
    for (const bad of [{ 'bad key': 'x' }, { big: 'x'.repeat(257) }, Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])), { n: 1 }]) {
      const answer = await call(`${a.url}/v1/tags`, json('PUT', { tags: bad }));
      assert.equal(answer.status, 400, JSON.stringify(bad));
      assert.equal(typeof (answer.body as { error?: unknown }).error, 'string');
    }
    assert.deepEqual((await members(a)).self.tags, { role: 'web', dc: 'x' });
  });

  it("a peer's tags from --tag show in /v1/members; PUT /v1/tags makes every connected node emit peer_updated and list the new tags", async () => {
    const a = await startAdminNode(group, 'a', ['--tag', 'role=db']);
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress, '--tag', 'zone=eu-1']);
    const c = await startAdminNode(group, 'c', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id, c.id]);
    await b.process.connectedTo([a.id, c.id]);
    await c.process.connectedTo([a.id, b.id]);
    const tagsOf = async (viewer: typeof a, peer: string): Promise<Record<string, string> | undefined> => (await members(viewer)).members.find((m) => m.id === peer)?.tags;
    assert.deepEqual(await tagsOf(b, a.id), { role: 'db' }, 'tags from --tag arrive with the peer');
    assert.deepEqual(await tagsOf(c, a.id), { role: 'db' });
    assert.deepEqual(await tagsOf(a, b.id), { zone: 'eu-1' });
    assert.deepEqual(await tagsOf(c, b.id), { zone: 'eu-1' }, 'also to a peer met through the peer list');
    assert.deepEqual(await tagsOf(a, c.id), {});
    assert.equal((await call(`${a.url}/v1/tags`, json('PUT', { tags: { role: 'web', dc: 'x' } }))).status, 200);
    for (const viewer of [b, c]) {
      const updated = await viewer.process.waitFor(`peer_updated from a in ${viewer.process.name}`, (e) => e.event === 'peer_updated' && e.peer === a.id);
      assert.deepEqual(updated['tags'], { role: 'web', dc: 'x' });
      assert.equal(updated['address'], a.peerAddress);
      assert.deepEqual(await tagsOf(viewer, a.id), { role: 'web', dc: 'x' });
    }
    assert.ok(!a.process.events.some((e) => e.event === 'peer_updated'), 'a node does not report its own change');
    assert.equal(b.process.events.filter((e) => e.event === 'peer_updated').length, 1, 'one peer_updated per change');
  });

  it('rttMs is a number for connected members, null once one is disconnected or dead; the rtt histogram has observations', async () => {
    const a = await startAdminNode(group, 'a');
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id]);
    const rtt = await eventually('a round trip to b', async () => {
      const member = (await members(a)).members.find((m) => m.id === b.id);
      return typeof member?.rttMs === 'number' ? member.rttMs : undefined;
    });
    assert.ok(Number.isFinite(rtt) && rtt >= 0, `rttMs ${rtt}`);
    const bView = await eventually('a round trip to a, from b', async () => (await members(b)).members.find((m) => m.id === a.id && typeof m.rttMs === 'number'));
    assert.ok((bView.rttMs as number) >= 0);
    const { types, samples } = parsePrometheus(await (await fetch(`${a.url}/metrics`)).text());
    assert.equal(types.get('p2p_gossip_peer_rtt_seconds'), 'histogram');
    const count = samples.find((s) => s.name === 'p2p_gossip_peer_rtt_seconds_count')?.value ?? 0;
    assert.ok(count >= 1, `p2p_gossip_peer_rtt_seconds_count ${count}`);
    const sum = samples.find((s) => s.name === 'p2p_gossip_peer_rtt_seconds_sum')?.value ?? -1;
    assert.ok(sum >= 0, `p2p_gossip_peer_rtt_seconds_sum ${sum}`);
    // Established, so that a lost b is listed as disconnected, then dead, not dropped as a stranger.
    await a.process.connectedFor(b.id, ESTABLISH_MS);
    await b.process.stop('SIGKILL');
    const lost = await eventually('b disconnected in a', async () => (await members(a)).members.find((m) => m.id === b.id && m.state !== 'connected'));
    assert.equal(lost.rttMs, null, `rttMs of a ${lost.state} member`);
    const dead = await eventually('b dead in a', async () => (await members(a)).members.find((m) => m.id === b.id && m.state === 'dead'), 20_000);
    assert.equal(dead.rttMs, null);
  });

  it('answers bad requests with a 4xx JSON error: wrong JSON, wrong shape, oversized, unknown path, wrong method', async () => {
    const a = await startAdminNode(group, 'a');
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id]);
    const cases: [string, RequestInit, number][] = [
      ['/v1/broadcast', json('POST', '{"message": '), 400],
      ['/v1/broadcast', json('POST', { message: 42 }), 400],
      ['/v1/broadcast', json('POST', { message: 'x', extra: 1 }), 400],
      ['/v1/broadcast', json('POST', []), 400],
      ['/v1/broadcast', json('POST', { message: 'é'.repeat(2049) }), 400],
      ['/v1/broadcast', json('POST', { message: 'x'.repeat(70 * 1024) }), 413],
      ['/v1/tags', json('PUT', { tags: 'role=db' }), 400],
      ['/v1/nothing', {}, 404],
      ['/v1/members', json('POST', {}), 405],
      ['/v1/tags', {}, 405],
    ];
    for (const [path, init, status] of cases) {
      const answer = await call(`${a.url}${path}`, init);
      assert.equal(answer.status, status, `${init.method ?? 'GET'} ${path}`);
      assert.match(answer.type, /^application\/json/);
      assert.equal(typeof (answer.body as { error?: unknown }).error, 'string', `${path}: ${JSON.stringify(answer.body)}`);
    }
    // A good broadcast after the bad ones: once it has arrived, none of the bad ones can still be on the way.
    assert.equal((await call(`${a.url}/v1/broadcast`, json('POST', { message: 'barrier' }))).status, 200);
    await b.process.waitFor('the barrier', (e) => e.event === 'ping_received' && e.message === 'barrier');
    const fromApi = b.process.events.filter((e) => e.event === 'ping_received' && !String(e.message).startsWith('ping '));
    assert.deepEqual(fromApi.map((e) => e.message), ['barrier'], 'no bad request was broadcast');
    assert.ok(a.process.running);
  });

  it('with --admin-token, refuses POST and PUT without the bearer token (401, nothing changes); GET needs none', async () => {
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 's3cret-token\n');
    const a = await startAdminNode(group, 'a', ['--admin-token', tokenFile, '--tag', 'role=db']);
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret-token' }] as Record<string, string>[]) {
      assert.equal((await call(`${a.url}/v1/tags`, json('PUT', { tags: { role: 'x' } }, headers))).status, 401);
      assert.equal((await call(`${a.url}/v1/leave`, json('POST', {}, headers))).status, 401);
    }
    assert.deepEqual((await members(a)).self.tags, { role: 'db' });
    assert.ok(a.process.running);
    const ok = await call(`${a.url}/v1/tags`, json('PUT', { tags: { role: 'x' } }, { authorization: 'Bearer s3cret-token' }));
    assert.equal(ok.status, 200);
    assert.equal((await call(`${a.url}/healthz`)).status, 200);
  });

  it('refuses to start with a missing or empty token file, or off loopback without a token (exit 2 naming the flag)', async () => {
    const empty = join(dir, 'empty-token');
    writeFileSync(empty, '\n');
    const port = String(await freePort());
    const missing = await runCli(['--port', port, '--admin', '127.0.0.1:0', '--admin-token', join(dir, 'absent')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^p2p-gossip: --admin-token .*absent: cannot read/);
    const blank = await runCli(['--port', port, '--admin', '127.0.0.1:0', '--admin-token', empty]);
    assert.equal(blank.code, 2);
    assert.match(blank.stderr, /^p2p-gossip: --admin-token .*empty/);
    const open = await runCli(['--port', port, '--admin', '0.0.0.0:0']);
    assert.equal(open.code, 2);
    assert.match(open.stderr, /^p2p-gossip: --admin-token: must be given when --admin is not a loopback address/);
    const badTag = await runCli(['--port', port, '--tag', 'no value']);
    assert.equal(badTag.code, 2);
    assert.match(badTag.stderr, /^p2p-gossip: --tag: /);
    const longTag = await runCli(['--port', port, '--tag', `k=${'v'.repeat(300)}`]);
    assert.equal(longTag.code, 2);
    assert.match(longTag.stderr, /^p2p-gossip: --tag: tag k: value must be at most 256 bytes/);
    assert.equal(longTag.stderr.split('\n').filter(Boolean).length, 1);
  });

  it('healthz is ok; readyz is 200 once settled, 503 with a reason while a known member is not connected', async () => {
    const a = await startAdminNode(group, 'a', ['--dead-after', '4']);
    assert.deepEqual(await call(`${a.url}/healthz`), { status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' });
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id]);
    await eventually('ready with b', async () => ((await call(`${a.url}/readyz`)).status === 200 ? true : undefined));
    // Only an established peer is remembered once lost (a stranger that vanishes is forgotten).
    await a.process.connectedFor(b.id, ESTABLISH_MS);
    await b.process.stop('SIGKILL');
    const unready = await eventually('not ready while b is lost', async () => {
      const answer = await call(`${a.url}/readyz`);
      return answer.status === 503 ? answer : undefined;
    });
    assert.equal((unready.body as { ready: boolean }).ready, false);
    assert.match((unready.body as { reason: string }).reason, /not connected/);
    await eventually('ready again once b is dead', async () => ((await call(`${a.url}/readyz`)).status === 200 ? true : undefined), 20_000);
    assert.equal((await members(a)).members.find((m) => m.id === b.id)?.state, 'dead');
  });

  it('serves Prometheus metrics: peers by state, pings, rejections, round trips and the process metrics', async () => {
    const a = await startAdminNode(group, 'a');
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.waitFor('a ping from b', (e) => e.event === 'ping_received' && e.peer === b.id);
    await a.process.waitFor('a ping sent', (e) => e.event === 'ping_sent');
    const garbage = connect(Number(a.peerAddress.split(':')[1]), '127.0.0.1');
    garbage.on('error', () => undefined);
    garbage.write(Buffer.from('\x00\xff\x13garbage, not TLS'));
    await a.process.waitFor('a protocol rejection', (e) => e.event === 'peer_rejected' && e.reason === 'protocol');
    garbage.destroy();
    const response = await fetch(`${a.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const { types, samples } = parsePrometheus(await response.text());
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    assert.equal(types.get('p2p_gossip_peers'), 'gauge');
    assert.equal(value('p2p_gossip_peers', { state: 'connected' }), 1);
    assert.equal(value('p2p_gossip_peers', { state: 'dead' }), 0);
    assert.equal(types.get('p2p_gossip_pings_sent_total'), 'counter');
    assert.ok((value('p2p_gossip_pings_sent_total') ?? 0) >= 1);
    assert.equal(types.get('p2p_gossip_pings_received_total'), 'counter');
    assert.ok((value('p2p_gossip_pings_received_total') ?? 0) >= 1);
    assert.equal(types.get('p2p_gossip_rejections_total'), 'counter');
    assert.ok((value('p2p_gossip_rejections_total', { reason: 'protocol' }) ?? 0) >= 1);
    assert.equal(types.get('p2p_gossip_peer_rtt_seconds'), 'histogram');
    assert.ok(samples.some((s) => s.name === 'p2p_gossip_peer_rtt_seconds_bucket' && s.labels['le'] === '+Inf'));
    assert.equal(types.get('process_resident_memory_bytes'), 'gauge');
    assert.ok((value('process_resident_memory_bytes') ?? 0) > 0);
    assert.equal(types.get('nodejs_eventloop_lag_seconds'), 'gauge');
    // The sampling default metrics start at the first scrape: that scrape has them already.
    assert.equal(types.get('nodejs_eventloop_lag_p99_seconds'), 'gauge');
    assert.equal(types.get('nodejs_gc_duration_seconds'), 'histogram');
    // ... from a window with samples in it: an empty one reads min 9.2e9 s and mean NaN.
    const lagMin = value('nodejs_eventloop_lag_min_seconds') ?? Number.NaN;
    const lagMean = value('nodejs_eventloop_lag_mean_seconds') ?? Number.NaN;
    assert.ok(Number.isFinite(lagMean) && lagMean >= 0 && lagMean < 10, `nodejs_eventloop_lag_mean_seconds ${lagMean}`);
    assert.ok(lagMin >= 0 && lagMin < 10, `nodejs_eventloop_lag_min_seconds ${lagMin}`);
  });

  it('a slow client that never finishes its headers is cut off, and the node keeps answering and pinging', async () => {
    const a = await startAdminNode(group, 'a');
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id]);
    const [host, port] = a.admin.split(':') as [string, string];
    const slow = connect(Number(port), host);
    slow.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.write('GET /v1/members HTTP/1.1\r\nHost: x\r\n');
    const pingsBefore = b.process.events.filter((e) => e.event === 'ping_received' && e.peer === a.id).length;
    assert.equal((await call(`${a.url}/v1/members`)).status, 200, 'other clients are served meanwhile');
    await b.process.until('pings from a while the slow client waits', () => b.process.events.filter((e) => e.event === 'ping_received' && e.peer === a.id).length > pingsBefore + 2);
    await Promise.race([closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the slow client was never cut off')), 20_000))]);
    assert.ok(a.process.running);
  });

  it('POST /v1/leave answers 202, then the node says goodbye and exits 0', async () => {
    const a = await startAdminNode(group, 'a');
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress]);
    await b.process.connectedTo([a.id]);
    const answer = await call(`${a.url}/v1/leave`, json('POST', {}));
    assert.equal(answer.status, 202);
    assert.deepEqual(await a.process.exited, { code: 0, signal: null });
    await b.process.waitFor('a left', (e) => e.event === 'peer_left' && e.peer === a.id);
  });

  it('--log-format text writes one readable line per log record; json (the default off a terminal) bunyan records', async () => {
    const text = await startAdminNode(group, 'text', ['--log-format', 'text', '--log-level', 'info']);
    await text.process.until('a log line', () => text.process.stderr.some((line) => line.includes('listening')));
    assert.match(text.process.stderr.find((line) => line.includes('listening')) ?? '', new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO  listening id=${text.id} address=`));
    const json = await startAdminNode(group, 'json', ['--log-level', 'info']);
    await json.process.until('a log record', () => json.process.stderr.some((line) => line.includes('listening')));
    const record = JSON.parse(json.process.stderr.find((line) => line.includes('listening')) ?? '{}') as Record<string, unknown>;
    assert.equal(record['msg'], 'listening');
    assert.equal(record['name'], 'p2p-gossip');
  });

  it('binds only where it is told', async () => {
    const a = await startAdminNode(group, 'a');
    assert.match(a.admin, /^127\.0\.0\.1:/);
    const port = Number(a.admin.split(':')[1]);
    const other = await fetch(`http://[::1]:${port}/healthz`).then(() => 'answered', () => 'refused');
    assert.equal(other, 'refused');
    const taken = await runCli(['--port', String(await freePort()), '--host', '127.0.0.1', '--admin', a.admin]);
    assert.deepEqual(taken, { code: 1, stdout: '', stderr: `p2p-gossip: --admin ${a.admin}: cannot listen: address already in use\n` });
  });
});
