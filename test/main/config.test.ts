import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_CONFIG, parseNodeConfig } from '../../src/main/config';
import { ConfigurationError } from '../../src/application/configuration.error';

const asKey = (path: readonly PropertyKey[]): string => `options.${path.map(String).join('.')}`;

function problem(raw: unknown): string {
  try {
    parseNodeConfig(raw, asKey);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError);
    return error.message;
  }
  assert.fail('the config was accepted');
}

describe('node config', () => {
  it('has the contract defaults', () => {
    assert.deepEqual(DEFAULT_CONFIG, {
      period: 5, port: 8080, host: '0.0.0.0', connect: [], heartbeatInterval: 1, deadAfter: 5,
      output: 'text', logLevel: 'info', reconnectMax: 10, reconnectTimeout: 86400, tags: {},
    });
    assert.deepEqual(parseNodeConfig({}, asKey), DEFAULT_CONFIG);
  });

  it('takes numbers or numeric text', () => {
    const config = parseNodeConfig({ period: '0.2', port: 0, deadAfter: '.5', heartbeatInterval: 0.25, reconnectMax: '1e1' }, asKey);
    assert.equal(config.period, 0.2);
    assert.equal(config.port, 0);
    assert.equal(config.deadAfter, 0.5);
    assert.equal(config.reconnectMax, 10);
  });

  it('normalises addresses', () => {
    const config = parseNodeConfig({ advertise: 'Node-A.example:9000', connect: ['[::1]:8081'] }, asKey);
    assert.equal(config.advertise, 'Node-A.example:9000');
    assert.deepEqual(config.connect, ['[::1]:8081']);
  });

  it('names the option through describe, with the value given', () => {
    assert.equal(problem({ period: -1 }), 'options.period: must be a number of seconds greater than 0 (got -1)');
    assert.equal(problem({ port: 70000 }), 'options.port: must be an integer from 0 to 65535 (got 70000)');
    assert.equal(problem({ port: 'abc' }), 'options.port: must be an integer from 0 to 65535 (got "abc")');
    assert.equal(problem({ connect: ['1.2.3.4:5', 'nohostport'] }), 'options.connect.1: must be host:port (got "nohostport")');
    assert.equal(problem({ connect: '1.2.3.4:5' }), 'options.connect: must be a list of host:port (got "1.2.3.4:5")');
    assert.equal(problem({ advertise: 'example.org:0' }), 'options.advertise: must be host:port (got "example.org:0")');
    assert.equal(problem({ dataDir: '' }), 'options.dataDir: must be a path (got "")');
    assert.equal(problem({ period: { seconds: 1 } }), 'options.period: must be a number of seconds greater than 0 (got a mapping)');
  });

  it('takes tags as a mapping or as KEY=VALUE assignments, within the limits', () => {
    assert.deepEqual(parseNodeConfig({ tags: { role: 'db' } }, asKey).tags, { role: 'db' });
    assert.deepEqual(parseNodeConfig({ tags: ['role=db', 'url=a=b', 'empty='] }, asKey).tags, { role: 'db', url: 'a=b', empty: '' });
    assert.equal(problem({ tags: { 'a b': 'x' } }), 'options.tags: tag key "a b" must be 1 to 64 of A-Z a-z 0-9 _ . -');
    assert.equal(problem({ tags: { k: 'é'.repeat(129) } }), 'options.tags: tag k: value must be at most 256 bytes of UTF-8 (got 258)');
    assert.equal(problem({ tags: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, ''])) }), 'options.tags: at most 32 tags (got 33)');
    assert.equal(problem({ tags: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`key${i}`, 'v'.repeat(250)])) }), 'options.tags: tags must be at most 2048 bytes in all (got 2540)');
    assert.match(problem({ tags: { k: 1 } }), /^options\.tags\.k: must be KEY=VALUE/);
    assert.equal(problem({ tags: ['role=db', 'novalue'] }), 'options.tags: must be KEY=VALUE (got "novalue")');
  });

  it('takes --admin with port 0, and wants a token off loopback', () => {
    assert.deepEqual(parseNodeConfig({ admin: '127.0.0.1:0' }, asKey).admin, { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseNodeConfig({ admin: '[::1]:9000' }, asKey).admin, { host: '::1', port: 9000 });
    assert.equal(problem({ admin: 'nowhere' }), 'options.admin: must be host:port (port 0 picks a free one) (got "nowhere")');
    assert.equal(problem({ admin: '0.0.0.0:9000' }), 'options.adminToken: must be given when options.admin is not a loopback address (got 0.0.0.0)');
    assert.equal(parseNodeConfig({ admin: '0.0.0.0:9000', adminToken: 'token' }, asKey).adminToken, 'token');
    assert.equal(problem({ logFormat: 'xml' }), 'options.logFormat: must be text or json (got "xml")');
  });

  it('checks options against each other', () => {
    assert.equal(problem({ cert: 'a.crt' }), 'options.cert: must be given together with options.key');
    assert.equal(problem({ deadAfter: 1, heartbeatInterval: 1 }), 'options.deadAfter: must be greater than options.heartbeatInterval, 1 s (got 1)');
  });

  it('rejects unknown keys and suggests the camelCase one', () => {
    assert.equal(problem({ colour: 'red' }), 'options.colour: unknown key');
    assert.equal(problem({ heartbeat_interval: 1 }), 'options.heartbeat_interval: unknown key (did you mean heartbeatInterval?)');
  });

  it('rejects what is not a mapping', () => {
    assert.equal(problem(['period']), 'options.: must be a mapping of option names to values (got a list)');
  });

  it('accepts every positive duration a timer can hold, and no other number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (seconds) => {
        const valid = seconds > 0 && seconds <= 2147483;
        let accepted = true;
        try {
          parseNodeConfig({ period: seconds, deadAfter: 1e6, heartbeatInterval: 1e-9 }, asKey);
        } catch {
          accepted = false;
        }
        assert.equal(accepted, valid, String(seconds));
      }),
    );
  });
});

describe('how a bad value is shown', () => {
  it('shows a non-finite number as itself, not as null', () => {
    assert.throws(() => parseNodeConfig({ period: Number.POSITIVE_INFINITY }, (path) => path.join('.')), /period: .*\(got Infinity\)/);
  });
});
