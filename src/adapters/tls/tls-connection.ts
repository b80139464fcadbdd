import type { TLSSocket } from 'node:tls';
import type { Logger } from '../../application/ports/logger.port';
import type { CloseCause, ConnectFailure } from '../../application/ports/transport.port';
import type { Address } from '../../domain/address';
import type { ConnectionId } from '../../domain/effects';
import type { Direction } from '../../domain/events';
import type { Identity } from '../../domain/identity';
import type { Message } from '../../domain/messages';
import { identityOfCertificate } from '../keys/identity-of';
import { encodeFrame, FrameDecoder } from '../wire/frame-codec';
import { admissionFailure, KEYING_MATERIAL_BYTES, KEYING_MATERIAL_LABEL, type NetworkKeys, prepareAdmission } from './admission';
import { decodeTransportFrame, type TransportFrame } from './transport-frame';

/** An auth frame is under 100 bytes; an unauthenticated peer may not make us buffer more than this. */
const MAX_PENDING_AUTH_BYTES = 1024;
/** After `close` (or a failed admission) the peer gets this long to finish before the socket is destroyed. */
export const CLOSE_GRACE_MS = 2000;
/** TLS 1.3 treats an absent and an empty exporter context alike. */
const NO_CONTEXT = Buffer.alloc(0);

/** What a connection reports to its transport. */
export interface ConnectionObserver {
  authenticated(connection: TlsConnection): void;
  /** The handshake or admission failed; the connection never was authenticated. */
  failed(connection: TlsConnection, failure: ConnectFailure): void;
  message(connection: TlsConnection, message: Message): void;
  /** Once, after `authenticated`, when the socket has closed. */
  closed(connection: TlsConnection, cause: CloseCause): void;
  /** The socket is gone, whatever happened before. */
  finished(connection: TlsConnection): void;
}

export interface TlsConnectionParams {
  readonly id: ConnectionId;
  readonly socket: TLSSocket;
  readonly direction: Direction;
  /** `ip:port` of an inbound socket; the dialled address of an outbound one. */
  readonly remote: string;
  readonly remoteHost: string;
  readonly dialed?: Address;
  readonly identity: Identity;
  readonly networkKey: NetworkKeys | undefined;
  readonly handshakeTimeoutMs: number;
  readonly maxQueuedBytes: number;
}

type State =
  /** Outbound, TCP not connected yet. */
  | 'connecting'
  /** TLS handshake, then the auth frames. */
  | 'handshaking'
  | 'open'
  /** Authenticated, closing: `closed` is still to come. */
  | 'closing'
  /** Never authenticated and given up: nothing more is reported. */
  | 'abandoned';

/**
 * One TLS socket: the handshake (TLS 1.3, peer certificate, network-key
 * admission) under one deadline, then frames in both directions. Reports to
 * the transport through a ConnectionObserver, always from socket events or
 * timers, never from inside its own methods.
 */
export class TlsConnection {
  readonly id: ConnectionId;
  readonly direction: Direction;
  readonly remote: string;
  readonly dialed: Address | undefined;
  remoteHost: string;
  peer: Identity | undefined;

  private readonly socket: TLSSocket;
  private readonly decoder = new FrameDecoder<TransportFrame>({ validate: decodeTransportFrame });
  private state: State;
  private expectedMac: readonly Buffer[] | undefined;
  private cause: CloseCause | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly params: TlsConnectionParams,
    private readonly observer: ConnectionObserver,
    private readonly logger: Logger,
  ) {
    this.id = params.id;
    this.direction = params.direction;
    this.remote = params.remote;
    this.remoteHost = params.remoteHost;
    this.dialed = params.dialed;
    this.socket = params.socket;
    this.state = params.direction === 'outbound' ? 'connecting' : 'handshaking';
    this.deadline = setTimeout(() => this.onDeadline(), params.handshakeTimeoutMs);
    this.deadline.unref();
    const socket = this.socket;
    socket.on(params.direction === 'outbound' ? 'secureConnect' : 'secure', () => this.onSecure());
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => this.onEnd());
    socket.on('error', (error: Error) => this.onError(error));
    socket.on('close', () => this.onClose());
    if (params.direction === 'outbound') socket.once('connect', () => this.onTcpConnect());
  }

  /** Queues one message. Never throws; a peer that does not read is disconnected instead of buffered. */
  send(message: Message): void {
    if (this.state !== 'open') return;
    let frame: Buffer;
    try {
      frame = encodeFrame(message);
    } catch (error) {
      this.logger.error({ conn: this.id, peer: this.peer, type: message.t, err: error }, 'message too large to send; dropped');
      return;
    }
    this.socket.write(frame);
    if (this.socket.writableLength > this.params.maxQueuedBytes) {
      this.logger.warn({ conn: this.id, peer: this.peer, queued: this.socket.writableLength }, 'peer does not read; disconnecting');
      this.terminate({ kind: 'error', detail: 'send queue full' });
    }
  }

  /** Graceful close after flushing. Before authentication, gives up quietly. Idempotent. */
  close(cause: CloseCause): void {
    if (this.state === 'open') {
      this.state = 'closing';
      this.cause = cause;
      this.socket.end();
      this.armGraceTimer();
    } else if (this.state !== 'closing') {
      // Not authenticated (or already given up on): nothing to flush, nothing to report.
      this.abandon();
      this.socket.destroy();
    }
  }

  /** Immediate teardown (shutdown's last resort). */
  destroy(): void {
    this.socket.destroy();
  }

  private onTcpConnect(): void {
    if (this.state !== 'connecting') return;
    this.state = 'handshaking';
    this.remoteHost = stripMappedPrefix(this.socket.remoteAddress ?? this.remoteHost);
  }

  private onSecure(): void {
    if (this.state !== 'handshaking' && this.state !== 'connecting') return;
    this.state = 'handshaking';
    try {
      this.sendAuth();
    } catch (error) {
      this.fail({ reason: 'protocol', detail: `TLS session unusable: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** Checks the peer's certificate, then proves the network key (or its absence) with our auth frame. */
  private sendAuth(): void {
    const certificate = this.socket.getPeerX509Certificate();
    if (certificate === undefined) {
      this.fail({ reason: 'protocol', detail: 'the peer presented no certificate' });
      return;
    }
    this.peer = identityOfCertificate(certificate);
    const admission = prepareAdmission({
      networkKey: this.params.networkKey,
      keyingMaterial: () => this.socket.exportKeyingMaterial(KEYING_MATERIAL_BYTES, KEYING_MATERIAL_LABEL, NO_CONTEXT),
      mine: this.direction === 'outbound' ? 'client' : 'server',
      own: this.params.identity,
      peer: this.peer,
    });
    this.expectedMac = admission.expected;
    this.socket.write(encodeFrame(admission.frame));
  }

  private onData(chunk: Buffer): void {
    if (this.state !== 'handshaking' && this.state !== 'open') return;
    if (this.peer === undefined) {
      this.fail({ reason: 'protocol', detail: 'data before the TLS handshake finished' });
      return;
    }
    for (const result of this.decoder.push(chunk)) {
      if (this.state !== 'handshaking' && this.state !== 'open') return;
      if (!result.ok) {
        this.violation(`${result.reason} frame: ${result.detail}`);
        return;
      }
      const frame = result.message;
      if (this.state === 'handshaking') this.admit(frame);
      else if (frame.t === 'auth') this.violation('auth frame after the handshake');
      else this.observer.message(this, frame);
    }
    if (this.state === 'handshaking' && this.decoder.bufferedBytes > MAX_PENDING_AUTH_BYTES) {
      this.fail({ reason: 'protocol', detail: 'auth frame too large' });
    }
  }

  /** The peer's auth frame: its proof of the network key, or its absence. */
  private admit(frame: TransportFrame): void {
    if (frame.t !== 'auth') {
      this.fail({ reason: 'protocol', detail: `expected an auth frame, got '${frame.t}'` });
      return;
    }
    const refused = admissionFailure(frame, this.expectedMac);
    if (refused !== undefined) {
      this.fail({ reason: 'network_key', detail: refused });
      return;
    }
    this.clearDeadline();
    this.state = 'open';
    this.observer.authenticated(this);
  }

  /** A frame broke the wire format: before authentication a rejection, after it a protocol close. */
  private violation(detail: string): void {
    if (this.state === 'handshaking') {
      this.fail({ reason: 'protocol', detail });
      return;
    }
    this.logger.warn({ conn: this.id, peer: this.peer, remote: this.remote, detail }, 'protocol violation; closing the connection');
    this.terminate({ kind: 'protocol', detail });
  }

  private terminate(cause: CloseCause): void {
    this.state = 'closing';
    this.cause ??= cause;
    this.socket.destroy();
  }

  private fail(failure: ConnectFailure): void {
    this.abandon();
    const reported = this.peer === undefined ? failure : { ...failure, presented: this.peer };
    this.observer.failed(this, reported);
    if (failure.reason === 'network_key') {
      // Let our own auth frame reach the peer, so that it sees the same mismatch.
      this.socket.end();
      this.armGraceTimer();
    } else {
      this.socket.destroy();
    }
  }

  private abandon(): void {
    this.state = 'abandoned';
    this.clearDeadline();
  }

  private onDeadline(): void {
    this.deadline = undefined;
    if (this.state === 'connecting') {
      this.fail({ reason: 'unreachable', detail: `no answer within ${this.params.handshakeTimeoutMs} ms` });
    } else if (this.state === 'handshaking') {
      this.fail({ reason: 'timeout', detail: `handshake not finished within ${this.params.handshakeTimeoutMs} ms` });
    }
  }

  private onEnd(): void {
    if (this.state === 'open') this.cause ??= { kind: 'remote', detail: 'closed by the peer' };
  }

  private onError(error: Error): void {
    const detail = describeSocketError(error);
    if (this.state === 'connecting') this.fail({ reason: 'unreachable', detail });
    else if (this.state === 'handshaking') this.fail({ reason: 'protocol', detail });
    else if (this.state === 'open' || this.state === 'closing') this.cause ??= { kind: 'error', detail };
  }

  private onClose(): void {
    this.clearDeadline();
    if (this.graceTimer !== undefined) clearTimeout(this.graceTimer);
    if (this.state === 'connecting') {
      this.fail({ reason: 'unreachable', detail: 'connection closed' });
    } else if (this.state === 'handshaking') {
      this.fail({ reason: 'protocol', detail: 'connection closed during the handshake' });
    } else if (this.state === 'open' || this.state === 'closing') {
      this.state = 'abandoned';
      this.observer.closed(this, this.cause ?? { kind: 'remote', detail: 'closed by the peer' });
    }
    this.observer.finished(this);
  }

  private armGraceTimer(): void {
    if (this.graceTimer !== undefined) return;
    this.graceTimer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }

  private clearDeadline(): void {
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.deadline = undefined;
  }
}

/** `::ffff:127.0.0.1` → `127.0.0.1`. */
export function stripMappedPrefix(host: string): string {
  return host.startsWith('::ffff:') && host.includes('.') ? host.slice('::ffff:'.length) : host;
}

/** What people see of common TLS failures, instead of OpenSSL's own text. */
const TLS_ERRORS: Readonly<Record<string, string>> = {
  ERR_SSL_HTTP_REQUEST: 'an HTTP request, not TLS',
  ERR_SSL_WRONG_VERSION_NUMBER: 'not TLS, or an older TLS version',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the peer does not speak TLS 1.3',
  ERR_SSL_NO_PROTOCOLS_AVAILABLE: 'the peer does not speak TLS 1.3',
  ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE: 'the peer presented no certificate',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the peer wanted a certificate we did not send',
};

/** One short line: a known TLS failure in words, else the code and the first line of the message. */
function describeSocketError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TLS_ERRORS[code] !== undefined) return TLS_ERRORS[code];
  const firstLine = error.message.split('\n')[0]?.trim() ?? '';
  // OpenSSL prefixes its text with an opaque location ("80EC22C7…:error:0A00009C:SSL routines:…").
  const readable = firstLine.replace(/^[0-9A-F]+:error:[0-9A-F]+:/, '');
  return typeof code === 'string' && !readable.includes(code) ? `${code}: ${readable}` : readable;
}
