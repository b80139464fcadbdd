import type { z } from 'zod';
import { HEARTBEAT, LIMITS, type Message } from '../../domain/messages';
import type { AuthFrame } from './auth.schema';
import { messageSchema } from './message.schema';

/**
 * Frames: a 4-byte big-endian unsigned length, then that many bytes of UTF-8
 * JSON holding one message. Decoding never throws: every problem is a value.
 */
export const FRAME_HEADER_BYTES = 4;

export type FrameFailureReason =
  /** The length prefix announces more than the limit. */
  | 'oversized'
  /** The body is not UTF-8 JSON. */
  | 'malformed'
  /** The JSON is not a valid message. */
  | 'invalid';

export interface FrameFailure {
  readonly ok: false;
  readonly reason: FrameFailureReason;
  readonly detail: string;
}

export interface Decoded<T> {
  readonly ok: true;
  readonly message: T;
}

export type DecodeResult<T> = Decoded<T> | FrameFailure;

/** A message (or any frame) too large to send without the peer refusing it. */
export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';
}

/** Encodes one frame. Throws FrameTooLargeError past LIMITS.maxFrameBytes (a peer would refuse it). */
export function encodeFrame(message: Message | AuthFrame): Buffer {
  return message === HEARTBEAT ? HEARTBEAT_FRAME : encode(message);
}

function encode(message: Message | AuthFrame): Buffer {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json, 'utf8');
  if (length > LIMITS.maxFrameBytes) {
    throw new FrameTooLargeError(`a '${message.t}' frame of ${length} bytes exceeds the limit of ${LIMITS.maxFrameBytes}`);
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, FRAME_HEADER_BYTES, 'utf8');
  return frame;
}

/**
 * The shared heartbeat, encoded once for the life of the process: most
 * heartbeats of a round are this one object (see round-trip.ts), so they
 * cost no encoding and no buffer. Never written to: sockets only read it.
 */
const HEARTBEAT_FRAME = encode(HEARTBEAT);
const HEARTBEAT_BODY = HEARTBEAT_FRAME.subarray(FRAME_HEADER_BYTES);

const MAX_DETAIL = 200;

function clip(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

/** Checks parsed JSON against a schema; the failure names the first problem only, briefly. */
export function validateWith<T>(schema: z.ZodType<T>, json: unknown): DecodeResult<T> {
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, reason: 'invalid', detail: clip(`${where}${issue?.message ?? 'invalid message'}`) };
}

/** Validates a parsed JSON value as a protocol message (the in-memory transport uses this directly). */
export function decodeMessage(json: unknown): DecodeResult<Message> {
  return validateWith(messageSchema, json);
}

export interface FrameDecoderOptions<T> {
  /** Validates one parsed JSON body; defaults to decodeMessage. */
  readonly validate?: (json: unknown) => DecodeResult<T>;
  /** Largest body accepted; defaults to LIMITS.maxFrameBytes. */
  readonly maxFrameBytes?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A buffer larger than this is released once it is empty, so an idle connection stays small. */
const RETAINED_BUFFER_BYTES = 64 * 1024;

/**
 * Splits a byte stream into frames and validates each one. `push` returns the
 * frames completed by that chunk, in order; a failure is always the last
 * result, after which the decoder is spent (the stream cannot be trusted to
 * resynchronise) and ignores further input.
 *
 * Memory stays bounded: at most one partial frame (<= maxFrameBytes) plus one
 * chunk is held, in one buffer that grows by doubling; an oversized length
 * prefix is refused as soon as its 4 bytes arrive, before any of the announced
 * body is buffered. Frames wholly inside a chunk are decoded without copying.
 */
export class FrameDecoder<T = Message> {
  private readonly validate: (json: unknown) => DecodeResult<T>;
  private readonly maxFrameBytes: number;
  /** Unconsumed input lives in buffer[start, end). */
  private buffer: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Body length of the frame being read, once its header is consumed. */
  private expected: number | undefined;
  private failed = false;
  /** What `validate` makes of the shared heartbeat's bytes, worked out once: most frames at idle are those bytes. */
  private heartbeat: DecodeResult<T> | undefined;

  constructor(options: FrameDecoderOptions<T> = {}) {
    this.validate = options.validate ?? (decodeMessage as unknown as (json: unknown) => DecodeResult<T>);
    this.maxFrameBytes = options.maxFrameBytes ?? LIMITS.maxFrameBytes;
  }

  /** Bytes received but not yet part of a complete frame. */
  get bufferedBytes(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): DecodeResult<T>[] {
    if (this.failed || chunk.length === 0) return [];
    const input = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const direct = this.start === this.end;
    if (!direct) this.append(input);
    const data = direct ? input : this.buffer;
    let offset = direct ? 0 : this.start;
    const limit = direct ? input.length : this.end;
    const results: DecodeResult<T>[] = [];
    for (;;) {
      if (this.expected === undefined) {
        if (limit - offset < FRAME_HEADER_BYTES) break;
        const length = data.readUInt32BE(offset);
        if (length > this.maxFrameBytes) {
          results.push(this.fail('oversized', `frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes}`));
          return results;
        }
        offset += FRAME_HEADER_BYTES;
        this.expected = length;
      }
      if (limit - offset < this.expected) break;
      const body = data.subarray(offset, offset + this.expected);
      offset += this.expected;
      this.expected = undefined;
      const result = this.decodeBody(body);
      if (!result.ok) {
        results.push(this.fail(result.reason, result.detail));
        return results;
      }
      results.push(result);
    }
    if (direct) {
      this.start = 0;
      this.end = 0;
      if (offset < limit) this.append(input.subarray(offset));
    } else {
      this.start = offset;
      if (this.start === this.end) this.reset();
    }
    return results;
  }

  private decodeBody(body: Buffer): DecodeResult<T> {
    if (body.length === HEARTBEAT_BODY.length && body.equals(HEARTBEAT_BODY)) {
      this.heartbeat ??= this.check(JSON.parse(HEARTBEAT_BODY.toString('utf8')));
      return this.heartbeat;
    }
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(body));
    } catch (error) {
      return { ok: false, reason: 'malformed', detail: clip(error instanceof Error ? error.message : String(error)) };
    }
    return this.check(json);
  }

  private check(json: unknown): DecodeResult<T> {
    try {
      return this.validate(json);
    } catch (error) {
      // A schema should not throw; if one does, the frame is still just invalid.
      return { ok: false, reason: 'invalid', detail: clip(error instanceof Error ? error.message : String(error)) };
    }
  }

  private fail(reason: FrameFailureReason, detail: string): FrameFailure {
    this.failed = true;
    this.expected = undefined;
    this.buffer = Buffer.alloc(0);
    this.start = 0;
    this.end = 0;
    return { ok: false, reason, detail };
  }

  private reset(): void {
    this.start = 0;
    this.end = 0;
    if (this.buffer.length > RETAINED_BUFFER_BYTES) this.buffer = Buffer.alloc(0);
  }

  /** Copies `bytes` after the unconsumed input, compacting or growing the buffer as needed. */
  private append(bytes: Buffer): void {
    const live = this.end - this.start;
    if (this.buffer.length - this.end < bytes.length) {
      const needed = live + bytes.length;
      if (this.buffer.length >= needed) {
        this.buffer.copy(this.buffer, 0, this.start, this.end);
      } else {
        const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2, 4096));
        this.buffer.copy(grown, 0, this.start, this.end);
        this.buffer = grown;
      }
      this.start = 0;
      this.end = live;
    }
    bytes.copy(this.buffer, this.end);
    this.end += bytes.length;
  }
}
