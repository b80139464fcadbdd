import assert from 'node:assert/strict';
import type { NodeCredentials } from '../../../src/application/ports/key-store.port';
import type { AuthenticatedConnection } from '../../../src/application/ports/transport.port';
import { type Address, formatAddress } from '../../../src/domain/address';
import type { Identity } from '../../../src/domain/identity';
import type { Message } from '../../../src/domain/messages';
import { generateCredentials } from '../../../src/adapters/keys/generate-credentials';
import { identityOfCertificatePem } from '../../../src/adapters/keys/identity-of';
import { TlsTransport, type TlsTransportOptions } from '../../../src/adapters/tls/tls-transport';
import { RecordingLogger } from '../../../src/adapters/simulation/recording-logger';
import { type TransportRecord, TransportRecorder } from '../../transport/transport-recorder';

/** Waits longer than this are failures, never sleeps. */
export const WAIT_MS = 5000;

/** The shared recorder of the transport contract, plus waiting for a record with a deadline. */
export class RecordingHandlers extends TransportRecorder {
  of<K extends TransportRecord['type']>(type: K): Extract<TransportRecord, { type: K }>[] {
    return this.records.filter((record): record is Extract<TransportRecord, { type: K }> => record.type === type);
  }

  /** Resolves with the first record of `type` matching `accept`, past ones included. */
  async next<K extends TransportRecord['type']>(
    type: K,
    accept: (record: Extract<TransportRecord, { type: K }>) => boolean = () => true,
    timeoutMs = WAIT_MS,
  ): Promise<Extract<TransportRecord, { type: K }>> {
    const find = (): Extract<TransportRecord, { type: K }> | undefined => this.of(type).find(accept);
    await this.until(() => find() !== undefined, `a '${type}' record`, timeoutMs);
    return find() as Extract<TransportRecord, { type: K }>;
  }

  async until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) {
        const seen = this.records.map((record) => (record.type === 'message' ? `message ${record.message.t}` : JSON.stringify(record)));
        throw new Error(`no ${what} within ${timeoutMs} ms; records: ${seen.join('; ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

export function quietLogger(): RecordingLogger {
  return new RecordingLogger(() => Date.now(), 'trace');
}

const pool: Promise<NodeCredentials>[] = [];

/** Fresh Ed25519 credentials; the first few are generated once per test file. */
export function credentials(index: number): Promise<NodeCredentials> {
  pool[index] ??= generateCredentials();
  return pool[index];
}

export interface TestNode {
  readonly transport: TlsTransport;
  readonly handlers: RecordingHandlers;
  readonly logger: RecordingLogger;
  readonly address: Address;
  readonly identity: Identity;
  readonly credentials: NodeCredentials;
}

export async function startNode(
  index: number,
  options: TlsTransportOptions & { credentials?: NodeCredentials } = {},
): Promise<TestNode> {
  const own = options.credentials ?? (await credentials(index));
  const logger = quietLogger();
  const transport = new TlsTransport({ handshakeTimeoutMs: WAIT_MS / 2, ...options }, logger);
  const handlers = new RecordingHandlers();
  const bound = await transport.listen({ host: '127.0.0.1', port: 0, credentials: own }, handlers);
  assert.equal(bound.host, '127.0.0.1');
  assert.ok(bound.port > 0);
  return {
    transport,
    handlers,
    logger,
    address: formatAddress('127.0.0.1', bound.port),
    identity: identityOfCertificatePem(own.certPem),
    credentials: own,
  };
}

/** Dials `to` from `from` and waits until both sides report the connection. */
export async function connectNodes(
  from: TestNode,
  to: TestNode,
): Promise<{ outbound: AuthenticatedConnection; inbound: AuthenticatedConnection }> {
  const before = to.handlers.of('connected').length;
  const dialsBefore = from.handlers.of('connected').length;
  from.transport.dial(to.address);
  await from.handlers.until(() => from.handlers.of('connected').length > dialsBefore, 'outbound connection');
  await to.handlers.until(() => to.handlers.of('connected').length > before, 'inbound connection');
  const outbound = from.handlers.of('connected')[dialsBefore]?.connection;
  const inbound = to.handlers.of('connected')[before]?.connection;
  assert.ok(outbound && inbound);
  return { outbound, inbound };
}

export { rawPeer } from '../../../harness/raw-peer';

export function ping(seq: number, message = `ping ${seq}`): Message {
  return { v: 1, t: 'ping', seq, message };
}
