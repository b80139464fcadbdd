import type { TimerHandle } from '../../application/ports/clock.port';
import type { CloseCause } from '../../application/ports/transport.port';
import type { Address } from '../../domain/address';
import type { ConnectionId } from '../../domain/effects';
import type { Direction } from '../../domain/events';
import type { Identity } from '../../domain/identity';
import type { Message } from '../../domain/messages';
import type { FrameDecoder } from '../wire/frame-codec';
import { Pipe, type Segment, type SegmentSink, type Wire } from './pipe';

/**
 * Why a dial ended without a connection, as the TLS transport tells them apart:
 * `unreachable` when nothing answered (refused, lost, no such machine), `timeout`
 * when a process accepted the connection but never completed the handshake.
 */
export interface LinkFailure {
  readonly reason: 'unreachable' | 'timeout';
  readonly detail: string;
}

/** Who owns one end of a simulated connection (a transport, or a raw test participant). */
export interface LinkOwner {
  /** The handshake completed at this end: it may send and receive. */
  opened(end: LinkEnd): void;
  data(end: LinkEnd, bytes: Buffer): void;
  /** The other end closed (`fin`) or reset (`rst`) the connection while this end was open. */
  ended(end: LinkEnd, cause: CloseCause): void;
  /** A dial from this end ended without a connection (refused, no answer in time, or no handshake in time). */
  dialFailed(end: LinkEnd, failure: LinkFailure): void;
}

export type EndState = 'pending' | 'open' | 'closed';

/**
 * One end of a simulated connection, like a socket: `pending` while its dial
 * is under way, `open` once the handshake completed, then `closed` for good.
 * The identity of each end is the one its owner proved: the simulation's
 * stand-in for the certificate a TLS handshake checks.
 */
export class LinkEnd implements SegmentSink {
  state: EndState = 'pending';
  /** This end's own frame decoder, once a frame arrived split across segments. */
  decoder: FrameDecoder<Message> | undefined;
  /** A pending dial's deadline. */
  dialTimer: TimerHandle | undefined;
  /** A pending dial that a silent process accepted: it can only time out in the handshake. */
  answered = false;
  private other: LinkEnd | undefined;
  private outbound: Pipe | undefined;

  constructor(
    private readonly wire: Wire,
    readonly id: ConnectionId,
    readonly owner: LinkOwner,
    readonly host: string,
    readonly identity: Identity,
    readonly direction: Direction,
    /** For the dialling end: the address dialled. */
    readonly dialed?: Address,
  ) {}

  static pair(dialer: LinkEnd, accepted: LinkEnd): void {
    dialer.other = accepted;
    accepted.other = dialer;
  }

  /** The identity proven by the other end. */
  get remoteIdentity(): Identity {
    return (this.other as LinkEnd).identity;
  }

  get remoteHost(): string {
    return (this.other as LinkEnd).host;
  }

  /** Answers the dialler's handshake (the accepting end only). */
  acceptHandshake(): void {
    this.state = 'open';
    this.transmit({ kind: 'synack' });
  }

  send(bytes: Buffer): void {
    if (this.state === 'open') this.transmit({ kind: 'data', bytes });
  }

  /** Orderly close: the other end sees `fin` after everything sent before it. */
  close(): void {
    if (this.state !== 'open') return;
    this.state = 'closed';
    this.transmit({ kind: 'fin' });
  }

  /** Abrupt end, as when the process dies: the other end sees `rst`. */
  reset(): void {
    if (this.state === 'closed') return;
    this.abandon();
    if (this.other) this.transmit({ kind: 'rst' });
  }

  /** Gives up without telling the other end (a dial that timed out or was cancelled). */
  abandon(): void {
    this.state = 'closed';
    this.abandonTimer();
  }

  receive(segment: Segment): void {
    switch (segment.kind) {
      case 'synack':
        if (this.state === 'pending') {
          this.abandonTimer();
          this.state = 'open';
          this.owner.opened(this);
        } else {
          // The dial was given up while the answer travelled: refuse it, as a kernel would.
          this.transmit({ kind: 'rst' });
        }
        break;
      case 'data':
        if (this.state === 'open') this.owner.data(this, segment.bytes);
        break;
      case 'fin':
        if (this.state === 'open') this.end({ kind: 'remote', detail: 'closed by the peer' });
        break;
      case 'rst':
        if (this.state === 'open') this.end({ kind: 'error', detail: 'connection reset by the peer' });
        break;
    }
  }

  private end(cause: CloseCause): void {
    this.state = 'closed';
    this.owner.ended(this, cause);
  }

  private abandonTimer(): void {
    if (this.dialTimer !== undefined) this.wire.clock.clearTimer(this.dialTimer);
    this.dialTimer = undefined;
  }

  private transmit(segment: Segment): void {
    const other = this.other as LinkEnd;
    this.outbound ??= new Pipe(this.wire, this.host, other);
    this.outbound.push(segment);
  }
}
