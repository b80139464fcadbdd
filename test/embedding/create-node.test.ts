import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../../src/application/configuration.error';
import { createNode, type GossipNode, type Logger, NodeOptionsError, type PeerStore, type StoredPeer } from '../../src/index';

const LOCAL = { host: '127.0.0.1', port: 0 } as const;
const FAST = { ...LOCAL, period: 0.2, heartbeatInterval: 0.2, deadAfter: 1 } as const;
const DEADLINE_MS = 20_000;

/** The problems of the NodeOptionsError that `build` throws. */
function problemsOf(build: () => unknown): readonly string[] {
  try {
    build();
  } catch (error) {
    assert.ok(error instanceof NodeOptionsError, `not a NodeOptionsError: ${String(error)}`);
    assert.equal(error.name, 'NodeOptionsError');
    return error.problems;
  }
  assert.fail('the node was built');
}

/** Resolves when `predicate` holds for an event, or rejects after the deadline. */
function eventually<T>(subscribe: (resolve: (value: T) => void) => void, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), DEADLINE_MS);
    subscribe((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Re-checks `condition` every 20 ms until it holds, or rejects after the deadline. */
async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

class RecordingLogger implements Logger {
  readonly levels: string[] = [];
  trace(): void {
    this.levels.push('trace');
  }
  debug(): void {
    this.levels.push('debug');
  }
  info(): void {
    this.levels.push('info');
  }
  warn(): void {
    this.levels.push('warn');
  }
  error(): void {
    this.levels.push('error');
  }
}

describe('createNode(options, adapters): bad input is a NodeOptionsError naming it', () => {
  it('refuses the CLI output format in the options: output is an adapter here', () => {
    const problems = problemsOf(() => createNode({ output: 'json' } as never));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^output: is an adapter, not an option: pass it as createNode\(options, \{ output \}\)/);
  });

  it('refuses a log level given as the logger', () => {
    const problems = problemsOf(() => createNode({ logger: 'debug' } as never));
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /^logger: is an adapter.*logLevel sets the level/);
  });

  it('refuses a clock adapter without the Clock functions, naming them', () => {
    const problems = problemsOf(() => createNode({}, { clock: {} } as never));
    assert.deepEqual(problems, [
      'adapters.clock: must be a Clock adapter, an object with the functions now, setTimer, clearTimer; missing now, setTimer, clearTimer (got a mapping)',
    ]);
  });

  it('checks the shape of every adapter', () => {
    const shapes: Record<string, readonly string[]> = {
      transport: ['listen', 'dial', 'send', 'close', 'shutdown'],
      clock: ['now', 'setTimer', 'clearTimer'],
      random: ['next'],
      keyStore: ['load'],
      output: ['emit'],
      peerStore: ['load', 'remember', 'forget', 'flush'],
      logger: ['trace', 'debug', 'info', 'warn', 'error'],
    };
    for (const [name, functions] of Object.entries(shapes)) {
      const [problem] = problemsOf(() => createNode({}, { [name]: 'debug' } as never));
      assert.match(problem ?? '', new RegExp(`^adapters\\.${name}: must be a \\w+ adapter, an object with the functions ${functions.join(', ')} \\(got "debug"\\)$`));
      // One function short: the missing one is named.
      const almost = Object.fromEntries(functions.slice(1).map((fn) => [fn, () => undefined]));
      assert.match(problemsOf(() => createNode({}, { [name]: almost } as never))[0] ?? '', new RegExp(`; missing ${functions[0]} \\(got a mapping\\)$`));
    }
  });

  it('takes class instances as adapters, their methods on the prototype', async () => {
    const logger = new RecordingLogger();
    const node = createNode(LOCAL, { logger });
    await node.start();
    await node.stop();
    assert.ok(logger.levels.includes('info'));
  });

  it('reports every problem of options and adapters in one error', () => {
    const problems = problemsOf(() => createNode({ period: -1, port: 70000, transport: {} } as never, { clock: 'x', random: { next: 1 }, period: 3, colour: 1 } as never));
    assert.equal(problems.length, 7, problems.join('\n'));
    for (const start of ['period:', 'port:', 'transport: is an adapter', 'adapters.clock:', 'adapters.random:', 'adapters.period: an option, not an adapter', 'adapters.colour: unknown adapter']) {
      assert.ok(problems.some((problem) => problem.startsWith(start)), `${start} in ${problems.join(' | ')}`);
    }
  });

  it('refuses a keyStore adapter together with key/cert files, which it would ignore', () => {
    const keyStore = { load: () => Promise.reject(new Error('not used')) };
    const problems = problemsOf(() => createNode({ key: 'node.key', cert: 'node.crt' }, { keyStore }));
    assert.deepEqual(problems, ['adapters.keyStore: cannot be given with key and cert, which only our own keyStore reads: give one or the other']);
  });

  it('checks each identity of an allow list', () => {
    const problems = problemsOf(() => createNode({ allow: ['a'.repeat(64), 'not-an-identity'] }));
    assert.deepEqual(problems, ['allow.1: must be an identity (64 hex digits) (got "not-an-identity")']);
  });

  it('names an unreadable allowlist file neutrally, with the option in the cause', () => {
    const missing = join(tmpdir(), 'p2p-gossip-no-such-dir', 'allow.txt');
    assert.throws(() => createNode({ allow: missing }), (error: unknown) => {
      assert.ok(error instanceof NodeOptionsError);
      assert.deepEqual(error.problems, [`allowlist file ${missing}: cannot read: ENOENT: no such file or directory`]);
      assert.ok(error.cause instanceof ConfigurationError);
      assert.deepEqual(error.cause.sources, [{ option: 'allow', path: missing }]);
      return true;
    });
  });

  it('rejects start() with a NodeOptionsError too when a key file cannot be read', async () => {
    const missing = join(tmpdir(), 'p2p-gossip-no-such-dir', 'node.key');
    const node = createNode({ ...LOCAL, key: missing, cert: missing });
    await assert.rejects(node.start(), (error: unknown) => {
      assert.ok(error instanceof NodeOptionsError, String(error));
      assert.match(error.problems[0] ?? '', new RegExp(`^(key|certificate) file ${missing}: cannot read: ENOENT`));
      assert.ok(error.cause instanceof ConfigurationError);
      assert.ok(['key', 'cert'].includes(error.cause.sources[0]?.option ?? ''));
      return true;
    });
  });
});

describe('createNode: options and adapters that work', () => {
  it('honours logLevel: the host logger gets only the records at that level and above', async () => {
    const quiet = new RecordingLogger();
    const chatty = new RecordingLogger();
    for (const [logger, logLevel] of [[quiet, 'warn'], [chatty, 'debug']] as const) {
      const node = createNode({ ...LOCAL, logLevel }, { logger });
      await node.start();
      await node.stop();
    }
    assert.deepEqual(quiet.levels.filter((level) => level !== 'warn' && level !== 'error'), []);
    assert.ok(chatty.levels.includes('debug') && chatty.levels.includes('info'), chatty.levels.join());
    assert.ok(!chatty.levels.includes('trace'));
  });

  it("uses the host's own adapter instead of ours (here its peer store)", async () => {
    const loads: number[] = [];
    const remembered: StoredPeer[] = [];
    const peerStore: PeerStore = {
      load: async () => {
        loads.push(1);
        return [];
      },
      remember: (peer) => remembered.push(peer),
      forget: () => undefined,
      flush: async () => undefined,
    };
    const node = createNode(LOCAL, { peerStore });
    await node.start();
    await node.stop();
    assert.deepEqual(loads, [1]);
  });

  it('reports storeStatus: writable, then failing while the store cannot be written, writable again once it can', async () => {
    let broken = false;
    let flushes = 0;
    const peerStore: PeerStore = {
      load: async () => [],
      remember: () => undefined,
      forget: () => undefined,
      flush: async () => {
        flushes += 1;
        if (broken) throw new Error('peers.json: cannot be written: ENOSPC');
      },
    };
    const nodes: GossipNode[] = [];
    try {
      const node = createNode(FAST, { peerStore });
      nodes.push(node);
      assert.deepEqual(node.storeStatus, { writable: true, failures: 0, failingSince: undefined, lastError: undefined });
      const { advertise } = await node.start();
      broken = true;
      const peer = createNode({ ...FAST, connect: [advertise] });
      nodes.push(peer);
      await peer.start();
      await waitFor(() => !node.storeStatus.writable, 'a failed write');
      const failing = node.storeStatus;
      assert.ok(failing.failures >= 1);
      assert.equal(failing.lastError, 'peers.json: cannot be written: ENOSPC');
      assert.equal(typeof failing.failingSince, 'number');
      const before = flushes;
      broken = false;
      await waitFor(() => node.storeStatus.writable && flushes > before, 'a write that works again');
      assert.deepEqual(node.storeStatus, { writable: true, failures: 0, failingSince: undefined, lastError: undefined });
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
    }
  });

  it('takes the allowlist as a list of identities: listed peers connect, others are rejected', async () => {
    const nodes: GossipNode[] = [];
    try {
      const friend = createNode(FAST);
      nodes.push(friend);
      const { id: friendId, advertise: friendAddress } = await friend.start();
      const guarded = createNode({ ...FAST, connect: [friendAddress], allow: [friendId.toUpperCase()] });
      nodes.push(guarded);
      const welcomed = eventually<string>((resolve) => guarded.on('peer_connected', (event) => resolve(event.peer)), 'the friend connected');
      const rejected = eventually<string>((resolve) => guarded.on('peer_rejected', (event) => resolve(event.reason)), 'the stranger rejected');
      const { advertise } = await guarded.start();
      assert.equal(await welcomed, friendId);
      const stranger = createNode({ ...FAST, connect: [advertise] });
      nodes.push(stranger);
      await stranger.start();
      assert.equal(await rejected, 'not_allowed');
      assert.deepEqual(guarded.members().map((member) => member.id), [friendId]);
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
    }
  });
});
