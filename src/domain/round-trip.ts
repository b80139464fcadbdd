import type { Connection } from './connection';
import { HEARTBEAT, type HeartbeatMessage, LIMITS, type PingMessage } from './messages';

/**
 * Owns the round trip to each peer, measured on frames sent anyway (never a
 * frame of its own). Both ends of a connection number its frames alike
 * (1, 2, …, hellos included) without a number on the wire, since the stream is
 * ordered and reliable. A heartbeat or ping may carry an echo: `ack`, the
 * number of the last frame received, and `held`, how long ago it arrived. Its
 * receiver sent frame `ack` at `sentAt`, so the sample is
 * `now - sentAt - held`, smoothed like TCP's SRTT (RFC 6298, alpha 1/8).
 *
 * Costs: a ring of SEND_RING send times per connection (an echo of an older
 * frame is ignored), two counters per frame, no allocation per frame; pings
 * (one object per connection anyway) always carry an echo, heartbeats only
 * when none was sent on the connection for `everyMs`, so that the other
 * heartbeats of a round are the one shared HEARTBEAT.
 */
export const SEND_RING = 8;
const RING_MASK = SEND_RING - 1;
/** RFC 6298's alpha. */
const SMOOTHING = 1 / 8;

/** The send-time ring of a new connection record. */
export function newSendRing(): number[] {
  return new Array<number>(SEND_RING).fill(0);
}

/** Every frame sent (Outbox.send). Hot path: no allocation. */
export function noteSent(connection: Connection, now: number): void {
  connection.framesSent += 1;
  connection.sentAt[connection.framesSent & RING_MASK] = now;
}

/** How long ago the last frame arrived (whole ms on the system clock), or -1 when there is nothing worth echoing. */
function heldFor(connection: Connection, now: number): number {
  const held = now - connection.lastFrameAt;
  return connection.framesReceived > 0 && held >= 0 && held <= LIMITS.maxEchoHeldMs ? held : -1;
}

/** The heartbeat for this connection: with an echo when one is due, else the shared HEARTBEAT. */
export function heartbeatFor(connection: Connection, now: number, everyMs: number): HeartbeatMessage {
  if (now - connection.echoedAt < everyMs) return HEARTBEAT;
  const held = heldFor(connection, now);
  if (held < 0) return HEARTBEAT;
  connection.echoedAt = now;
  return { v: 1, t: 'hb', ack: connection.framesReceived, held };
}

/** A ping with an echo (when there is anything to echo). */
export function pingFor(connection: Connection, seq: number, message: string, now: number): PingMessage {
  const held = heldFor(connection, now);
  if (held < 0) return { v: 1, t: 'ping', seq, message };
  connection.echoedAt = now;
  return { v: 1, t: 'ping', seq, message, ack: connection.framesReceived, held };
}

/** An echo arrived: one sample, unless it names a frame we never sent or one out of the ring. */
export function onEcho(connection: Connection, ack: number, held: number, now: number): void {
  const back = connection.framesSent - ack;
  if (ack < 1 || back < 0 || back >= SEND_RING) return;
  const sample = Math.max(0, now - (connection.sentAt[ack & RING_MASK] as number) - held);
  const rtt = connection.rttMs;
  connection.rttMs = rtt === undefined ? sample : rtt + (sample - rtt) * SMOOTHING;
}
