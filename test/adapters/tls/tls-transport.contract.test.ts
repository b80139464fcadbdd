import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type Address, formatAddress } from '../../../src/domain/address';
import { TlsTransport } from '../../../src/adapters/tls/tls-transport';
import { type TransportHarness, transportContract } from '../../transport/transport-contract';
import { credentials, quietLogger } from './tls-test-kit';

/** Short, so that the silent-peer case stays quick; far above a loopback handshake (~3 ms). */
const DIAL_TIMEOUT_MS = 500;

function listenOn(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

/** The real world: TLS transports on loopback, real time. */
async function tlsHarness(): Promise<TransportHarness> {
  const transports: TlsTransport[] = [];
  const servers: Server[] = [];
  return {
    async listen(recorder) {
      const transport = new TlsTransport({ handshakeTimeoutMs: DIAL_TIMEOUT_MS }, quietLogger());
      transports.push(transport);
      const own = await credentials(transports.length - 1);
      const bound = await transport.listen({ host: '127.0.0.1', port: 0, credentials: own }, recorder);
      return { transport, identity: own.identity, address: formatAddress(bound.host, bound.port) };
    },
    async refusingAddress(): Promise<Address> {
      const probe = createServer();
      const port = await listenOn(probe);
      await new Promise((resolve) => probe.close(resolve));
      return formatAddress('127.0.0.1', port);
    },
    async silentAddress(): Promise<Address> {
      // Accepts TCP, then says nothing (it reads, so it notices the hang-up).
      const mute = createServer((socket: Socket) => socket.on('error', () => undefined).resume());
      servers.push(mute);
      return formatAddress('127.0.0.1', await listenOn(mute));
    },
    async settle(predicate, deadlineMs) {
      const deadline = performance.now() + deadlineMs;
      while (!predicate()) {
        if (performance.now() > deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      return true;
    },
    now: () => performance.now(),
    dialTimeoutMs: DIAL_TIMEOUT_MS,
    stepDeadlineMs: 5_000,
    async dispose() {
      await Promise.all(transports.map((transport) => transport.shutdown()));
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

transportContract('TLS transport on loopback', tlsHarness);
