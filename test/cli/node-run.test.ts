import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../../src/application/configuration.error';
import { DEFAULT_CONFIG } from '../../src/main/config';
import { FakeServices, runNode, startCli } from './cli-harness';

describe('running the node', () => {
  it('starts it with the defaults and the CLI streams', async () => {
    const { services, config } = await runNode([], { env: { HOME: '/home/me' } });
    assert.deepEqual(config, DEFAULT_CONFIG);
    const [start] = services.started;
    assert.equal(start?.io.env['HOME'], '/home/me');
    services.node.requestLeave();
  });

  it('parses every flag into the config', async () => {
    const { config, services } = await runNode([
      '--period', '0.2', '--port', '0', '--host', '127.0.0.1', '--advertise', 'node-a.example:9000',
      '--connect', '127.0.0.1:8081', '--connect', '[::1]:8082', '--key', 'a.key', '--cert', 'a.crt',
      '--heartbeat-interval', '0.25', '--dead-after', '2', '--data-dir', 'data', '--output', 'json',
      '--log-level', 'debug', '--network-key', 'net.key', '--allow', 'allow.txt',
      '--reconnect-max', '3', '--reconnect-timeout', '60', '--admin', '127.0.0.1:0', '--admin-token', 'token.txt',
      '--tag', 'role=db', '--tag', 'zone=eu-1', '--log-format', 'json',
    ]);
    assert.deepEqual(config, {
      period: 0.2, port: 0, host: '127.0.0.1', advertise: 'node-a.example:9000',
      connect: ['127.0.0.1:8081', '[::1]:8082'], key: 'a.key', cert: 'a.crt',
      heartbeatInterval: 0.25, deadAfter: 2, dataDir: 'data', output: 'json', logLevel: 'debug',
      networkKey: 'net.key', allow: 'allow.txt', reconnectMax: 3, reconnectTimeout: 60,
      admin: { host: '127.0.0.1', port: 0 }, adminToken: 'token.txt', tags: { role: 'db', zone: 'eu-1' }, logFormat: 'json',
    });
    services.node.requestLeave();
  });

  it('a signal stops the node gracefully: exit 0', async () => {
    const stopping = new AbortController();
    const { services, result } = await runNode([], { signal: stopping.signal });
    stopping.abort();
    const { code, stderr } = await result;
    assert.equal(code, 0);
    assert.equal(services.node.stops, 1);
    assert.equal(stderr.text, '');
  });

  it('a signal before the start stops nothing and exits 0', async () => {
    const stopping = new AbortController();
    stopping.abort();
    const services = new FakeServices();
    const { code } = await startCli([], { services, signal: stopping.signal }).result;
    assert.equal(code, 0);
    assert.equal(services.started.length, 0);
  });

  it('an operator\'s leave stops the node gracefully: exit 0', async () => {
    const { services, result } = await runNode([]);
    services.node.requestLeave();
    const { code, stderr } = await result;
    assert.equal(code, 0);
    assert.equal(services.node.stops, 1);
    assert.equal(stderr.text, '');
  });

  it('a configuration problem found at start is exit 2, one line', async () => {
    const services = new FakeServices();
    services.startFailure = new ConfigurationError('--key node.key: cannot read: ENOENT: no such file or directory');
    const { code, stderr } = await startCli(['--key', 'node.key', '--cert', 'node.crt'], { services }).result;
    assert.equal(code, 2);
    assert.deepEqual(stderr.lines, ['p2p-gossip: --key node.key: cannot read: ENOENT: no such file or directory']);
  });

  it('a runtime failure is exit 1, one line naming the cause', async () => {
    const services = new FakeServices();
    services.startFailure = new Error('listen EADDRINUSE: address already in use 0.0.0.0:8080\n    at Server.setupListenHandle');
    const { code, stderr } = await startCli([], { services }).result;
    assert.equal(code, 1);
    assert.deepEqual(stderr.lines, ['p2p-gossip: listen EADDRINUSE: address already in use 0.0.0.0:8080 at Server.setupListenHandle']);
  });
});
