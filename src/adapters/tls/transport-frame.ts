import type { Message } from '../../domain/messages';
import { type AuthFrame, authFrameSchema } from '../wire/auth.schema';
import { type DecodeResult, decodeMessage, validateWith } from '../wire/frame-codec';

/** What flows on a TLS connection: one auth frame each way, then protocol messages. */
export type TransportFrame = Message | AuthFrame;

export function decodeTransportFrame(json: unknown): DecodeResult<TransportFrame> {
  if (typeof json === 'object' && json !== null && (json as { t?: unknown }).t === 'auth') {
    return validateWith(authFrameSchema, json);
  }
  return decodeMessage(json);
}
