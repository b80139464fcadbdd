/**
 * handshake: sequential connect + authenticate (TLS 1.3 + auth frame, until
 * `connected` fires on the dialler) + close, between two TlsTransports in
 * this process. Samples are the dial → `connected` times; the full cycle
 * (until both sides reported `closed`) is recorded beside them.
 */
import type { AuthenticatedConnection, TransportHandlers } from '../src/application/ports/transport.port';
import { generateCredentials } from '../src/adapters/keys/generate-credentials';
import { TlsTransport } from '../src/adapters/tls/tls-transport';
import { formatAddress } from '../src/domain/address';
import { silentLogger } from '../src/main/silent-logger';
import { type Benchmark, failedRow, record, show } from './lib/benchmark';
import type { Progress } from './lib/progress';
import { round, summarize, type Summary } from './lib/stats';

const COUNT = 200;
const WARMUP = 20;
/** Issue 10: a handshake (connect + mutual auth) costs at most 1.5 ms at the median. */
const GOAL_MEDIAN_MS = 1.5;
const STEP_TIMEOUT_MS = 5000;

interface Waiter {
  readonly kind: 'connected' | 'closed';
  resolve(connection: AuthenticatedConnection | undefined): void;
  reject(error: Error): void;
}

/** Transport handlers that hand each callback to whoever waits for it next; a failure fails every waiter. */
function handlers(): { handlers: TransportHandlers; next: (kind: Waiter['kind']) => Promise<AuthenticatedConnection | undefined> } {
  const waiting: Waiter[] = [];
  const settle = (kind: Waiter['kind'], value?: AuthenticatedConnection): void => {
    const index = waiting.findIndex((waiter) => waiter.kind === kind);
    if (index >= 0) waiting.splice(index, 1)[0]?.resolve(value);
  };
  const fail = (error: Error): void => {
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  };
  return {
    handlers: {
      connected: (connection) => settle('connected', connection),
      closed: () => settle('closed'),
      dialFailed: (address, failure) => fail(new Error(`dial to ${address} failed: ${failure.reason} ${failure.detail}`)),
      rejected: (remote, failure) => fail(new Error(`${remote} rejected: ${failure.reason} ${failure.detail}`)),
      message: () => undefined,
    },
    next: (kind) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${kind} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
        const done = (): void => clearTimeout(timer);
        waiting.push({ kind, resolve: (value) => { done(); resolve(value); }, reject: (error) => { done(); reject(error); } });
      }),
  };
}

async function measure(progress: Progress): Promise<{ connect: number[]; cycle: number[] }> {
  const [serverKeys, clientKeys] = await Promise.all([generateCredentials(), generateCredentials()]);
  const server = new TlsTransport({}, silentLogger);
  const client = new TlsTransport({}, silentLogger);
  const serverSide = handlers();
  const clientSide = handlers();
  try {
    const bound = await server.listen({ host: '127.0.0.1', port: 0, credentials: serverKeys }, serverSide.handlers);
    await client.listen({ host: '127.0.0.1', port: 0, credentials: clientKeys }, clientSide.handlers);
    const target = formatAddress(bound.host, bound.port);
    const connect: number[] = [];
    const cycle: number[] = [];
    for (let index = 0; index < WARMUP + COUNT; index += 1) {
      const dialled = clientSide.next('connected');
      const accepted = serverSide.next('connected');
      const started = performance.now();
      client.dial(target);
      const connection = await dialled;
      const authenticated = performance.now();
      await accepted;
      const closed = Promise.all([clientSide.next('closed'), serverSide.next('closed')]);
      client.close((connection as AuthenticatedConnection).id);
      await closed;
      if (index < WARMUP) continue;
      connect.push(authenticated - started);
      cycle.push(performance.now() - started);
      if ((index - WARMUP + 1) % 20 === 0) progress.tick(`${index - WARMUP + 1}/${COUNT} handshakes`);
    }
    return { connect, cycle };
  } finally {
    await Promise.all([client.shutdown(), server.shutdown()]);
  }
}

export const handshake: Benchmark = {
  name: 'handshake',
  seconds: 5,
  run: (progress) => {
    progress.begin('handshake', COUNT / 20);
    const params = { count: COUNT, warmup: WARMUP, key: 'Ed25519', tls: '1.3, mutual', networkKey: false, where: '2 TlsTransports in one process, 127.0.0.1' };
    return record('handshake', params, async () => {
      const { connect, cycle } = await measure(progress);
      return { summary: { connectMs: summarize(connect), cycleMs: summarize(cycle) }, samples: { connectMs: connect.map((ms) => round(ms)), cycleMs: cycle.map((ms) => round(ms)) } };
    });
  },
  rows: (result) => {
    const failed = failedRow('handshake', result);
    if (failed) return failed;
    const { connectMs, cycleMs } = result.summary as { connectMs: Summary; cycleMs: Summary };
    return [
      { benchmark: 'handshake', measure: `connect+auth, median (p95) of ${connectMs.n}`, result: `${show(connectMs.median, 'ms', 2)} (${show(connectMs.p95, 'ms', 2)})`, goal: `≤ ${GOAL_MEDIAN_MS} ms`, met: connectMs.median <= GOAL_MEDIAN_MS },
      { benchmark: 'handshake', measure: 'with close, median (p95)', result: `${show(cycleMs.median, 'ms', 2)} (${show(cycleMs.p95, 'ms', 2)})`, goal: '' },
    ];
  },
};
