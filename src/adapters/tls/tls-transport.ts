import { inject, injectable } from 'inversify';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { connect, createSecureContext, type SecureContext, TLSSocket } from 'node:tls';
import { Logger } from '../../application/ports/logger.port';
import type {
  ConnectFailure,
  ListenOptions,
  Transport,
  TransportHandlers,
} from '../../application/ports/transport.port';
import { type Address, formatAddress, type HostPort, splitAddress } from '../../domain/address';
import type { ConnectionId } from '../../domain/effects';
import type { Identity } from '../../domain/identity';
import type { Message } from '../../domain/messages';
import type { NetworkKeys } from './admission';
import { describeListenFailure, ListenError } from './listen.error';
import { CLOSE_GRACE_MS, type ConnectionObserver, stripMappedPrefix, TlsConnection } from './tls-connection';

/** The TLS transport's settings, bound in the container under this token. */
export const TlsTransportOptions = Symbol('TlsTransportOptions');

export interface TlsTransportOptions {
  /**
   * The shared secret of a closed network; without it, any peer may connect.
   * Several keys, while one is rotated: the first proves, any one admits.
   */
  readonly networkKey?: NetworkKeys;
  /**
   * Deadline for TCP connect or accept → TLS → auth. All of it takes ~2.5 ms
   * on loopback and a few round trips on a slow WAN, so 5 s only ever cuts
   * off peers that are silent or stuck. Default 5000.
   */
  readonly handshakeTimeoutMs?: number;
  /**
   * Bytes queued for one peer beyond which it counts as not reading and is
   * disconnected. A full peer list is under 1 MiB, so 4 MiB leaves room for
   * bursts while bounding memory per peer. Default 4 MiB.
   */
  readonly maxQueuedBytes?: number;
}

/** What `listen` fixes for the transport's lifetime. */
interface Local {
  readonly handlers: TransportHandlers;
  /** Our certificate and key, for accepted and dialled connections alike. */
  readonly context: SecureContext;
  readonly identity: Identity;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;
/** TCP keep-alive probes start after this much idleness: dead links surface even between heartbeats. */
const KEEP_ALIVE_DELAY_MS = 30_000;

/**
 * The Transport over mutual TLS 1.3 (node:tls). Each side presents a
 * certificate; the peer's identity is the SHA-256 of the certificate's public
 * key, checked by us (not by a CA). Then each side sends one auth frame
 * proving the network key, if there is one. Only then is the connection
 * reported as `connected`.
 */
@injectable()
export class TlsTransport implements Transport {
  private readonly handshakeTimeoutMs: number;
  private readonly maxQueuedBytes: number;
  private readonly connections = new Map<ConnectionId, TlsConnection>();
  private readonly observer: ConnectionObserver;
  /** Set by `listen`. */
  private local: Local | undefined;
  private server: Server | undefined;
  private nextId = 1;
  private stopping: Promise<void> | undefined;
  private whenDrained: (() => void) | undefined;

  constructor(
    @inject(TlsTransportOptions) private readonly options: TlsTransportOptions,
    @inject(Logger) private readonly logger: Logger,
  ) {
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    this.maxQueuedBytes = options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.observer = this.createObserver();
  }

  listen(options: ListenOptions, handlers: TransportHandlers): Promise<HostPort> {
    const where = formatAddress(options.host, options.port);
    if (this.server !== undefined || this.stopping !== undefined) {
      return Promise.reject(new ListenError(`cannot listen on ${where}: the transport is already listening or stopped`));
    }
    let context: SecureContext;
    try {
      // One context for both directions: building one per connection doubles the handshake cost.
      context = createSecureContext({
        key: options.credentials.keyPem,
        cert: options.credentials.certPem,
        minVersion: 'TLSv1.3',
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return Promise.reject(new ListenError(`cannot listen on ${where}: unusable key or certificate: ${detail}`, { cause: error }));
    }
    const local: Local = { handlers, context, identity: options.credentials.identity };
    this.local = local;
    const server = createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: KEEP_ALIVE_DELAY_MS });
    server.on('connection', (socket: Socket) => this.accept(socket, local));
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        server.close();
        reject(new ListenError(`cannot listen on ${where}: ${describeListenFailure(error)}`, { cause: error }));
      };
      server.once('error', onError);
      server.listen({ host: options.host, port: options.port }, () => {
        server.off('error', onError);
        server.on('error', (error) => this.logger.error({ err: error }, 'listening socket failed'));
        this.server = server;
        const bound = server.address() as AddressInfo;
        this.logger.debug({ host: bound.address, port: bound.port }, 'listening');
        resolve({ host: bound.address, port: bound.port });
      });
    });
  }

  dial(address: Address): void {
    const local = this.local;
    if (local === undefined) {
      this.logger.error({ address }, 'dial before listen: no handlers to report to; ignored');
      return;
    }
    const { handlers } = local;
    const target = splitAddress(address);
    if (this.stopping !== undefined || target === undefined) {
      const detail = target === undefined ? 'not a host:port address' : 'the transport is shut down';
      setImmediate(() => handlers.dialFailed(address, { reason: 'unreachable', detail }));
      return;
    }
    let socket: TLSSocket;
    try {
      socket = connect({
        host: target.host,
        port: target.port,
        secureContext: local.context,
        rejectUnauthorized: false,
      });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      setImmediate(() => handlers.dialFailed(address, { reason: 'unreachable', detail }));
      return;
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
    this.track(local, socket, 'outbound', address, target.host, address);
  }

  send(connection: ConnectionId, message: Message): void {
    this.connections.get(connection)?.send(message);
  }

  close(connection: ConnectionId): void {
    this.connections.get(connection)?.close({ kind: 'local', detail: 'closed by this node' });
  }

  shutdown(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private accept(raw: Socket, local: Local): void {
    if (this.stopping !== undefined) {
      raw.destroy();
      return;
    }
    const host = stripMappedPrefix(raw.remoteAddress ?? 'unknown');
    const remote = formatAddress(host, raw.remotePort ?? 0);
    // Errors surface on the TLS socket that takes over this one; this listener only keeps them from being unhandled.
    raw.on('error', () => undefined);
    const socket = new TLSSocket(raw, {
      isServer: true,
      secureContext: local.context,
      requestCert: true,
      rejectUnauthorized: false,
    });
    socket.on('close', () => raw.destroy());
    this.track(local, socket, 'inbound', remote, host, undefined);
  }

  private track(local: Local, socket: TLSSocket, direction: 'inbound' | 'outbound', remote: string, host: string, dialed: Address | undefined): void {
    const id = `${direction === 'inbound' ? 'in' : 'out'}-${this.nextId++}`;
    const connection = new TlsConnection(
      {
        id,
        socket,
        direction,
        remote,
        remoteHost: host,
        dialed,
        identity: local.identity,
        networkKey: this.options.networkKey,
        handshakeTimeoutMs: this.handshakeTimeoutMs,
        maxQueuedBytes: this.maxQueuedBytes,
      },
      this.observer,
      this.logger,
    );
    this.connections.set(id, connection);
  }

  private createObserver(): ConnectionObserver {
    return {
      authenticated: (connection) => {
        const { id, peer, direction, remoteHost, dialed } = connection;
        if (peer === undefined) return;
        this.logger.debug({ conn: id, peer, direction, remote: connection.remote }, 'connection authenticated');
        this.local?.handlers.connected(dialed === undefined ? { id, peer, direction, remoteHost } : { id, peer, direction, remoteHost, dialed });
      },
      failed: (connection, failure) => this.reportFailure(connection, failure),
      message: (connection, message) => this.local?.handlers.message(connection.id, message),
      closed: (connection, cause) => {
        this.logger.debug({ conn: connection.id, peer: connection.peer, kind: cause.kind, detail: cause.detail }, 'connection closed');
        this.local?.handlers.closed(connection.id, cause);
      },
      finished: (connection) => {
        this.connections.delete(connection.id);
        if (this.connections.size === 0) this.whenDrained?.();
      },
    };
  }

  private reportFailure(connection: TlsConnection, failure: ConnectFailure): void {
    const fields = { conn: connection.id, remote: connection.remote, reason: failure.reason, detail: failure.detail, presented: failure.presented };
    // The node logs the resulting peer_rejected event itself; this record is for debugging the transport.
    this.logger.debug(fields, connection.direction === 'inbound' ? 'inbound connection rejected' : 'dial failed');
    if (connection.dialed !== undefined) this.local?.handlers.dialFailed(connection.dialed, failure);
    else this.local?.handlers.rejected(connection.remote, failure);
  }

  private async stop(): Promise<void> {
    const server = this.server;
    const serverClosed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    for (const connection of this.connections.values()) connection.close({ kind: 'local', detail: 'shutting down' });
    await this.drained(CLOSE_GRACE_MS);
    for (const connection of this.connections.values()) connection.destroy();
    await this.drained(CLOSE_GRACE_MS);
    await serverClosed;
    this.logger.debug({}, 'transport stopped');
  }

  /** Resolves when no connection is left, or after `limitMs`. */
  private drained(limitMs: number): Promise<void> {
    if (this.connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.whenDrained = undefined;
        resolve();
      };
      const timer = setTimeout(done, limitMs);
      this.whenDrained = done;
    });
  }
}
