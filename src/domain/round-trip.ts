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
 * Costs: the send times of the last two frames per connection, in fields
 * of its record (an array per connection cost the 500-node simulation a
 * third of its wall time, in GC); two counters per frame; no allocation per
 * frame. Two suffice at idle: the echo of our frame of one round arrives
 * just after we sent the next. An echo of an older frame (a peer list went
 * out in between) is no sample; the next one is. Pings (one object per
 * connection anyway) always carry an echo, heartbeats only when none was
 * sent on the connection for `everyMs`, so that the other heartbeats of a
 * round are the one shared HEARTBEAT.
 */

/** RFC 6298's alpha. */
const SMOOTHING = 1 / 8;

/** Every frame sent (Outbox.send). Hot path: no allocation. */
export function noteSent(connection: Connection, now: number): void {
  connection.framesSent += 1;
  connection.priorSentAt = connection.lastSentAt;
  connection.lastSentAt = now;
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

/** An echo arrived: one sample, unless it names a frame other than our last two. */
export function onEcho(connection: Connection, ack: number, held: number, now: number): void {
  const sentAt = ack === connection.framesSent ? connection.lastSentAt : ack === connection.framesSent - 1 ? connection.priorSentAt : undefined;
  if (sentAt === undefined || ack < 1) return;
  const sample = Math.max(0, now - sentAt - held);
  const rtt = connection.rttMs;
  connection.rttMs = rtt === undefined ? sample : rtt + (sample - rtt) * SMOOTHING;
}
