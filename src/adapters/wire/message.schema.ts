import { z } from 'zod';
import { type Address, isValidHost, parseAddress } from '../../domain/address';
import type { Identity } from '../../domain/identity';
import { LIMITS, type Message } from '../../domain/messages';

/**
 * One zod schema per message of src/domain/messages.ts (protocol version 1).
 * Everything here arrives from other peers, so objects are strict (unknown keys
 * are a violation), strings are bounded, and addresses are parsed with the
 * domain's own parser (and come out in its canonical form).
 */

const version = z.literal(1);

export const identitySchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'not an identity (64 lowercase hex digits)')
  .transform((text) => text as Identity);

export const addressSchema = z
  .string()
  .max(LIMITS.maxHostLength + 8)
  .transform((text, context): Address => {
    const address = parseAddress(text);
    if (address === undefined) {
      context.addIssue({ code: 'custom', message: 'not a host:port address' });
      return z.NEVER;
    }
    return address;
  });

const digestSchema = z.string().regex(/^[0-9a-f]{16}$/, 'not a digest (16 lowercase hex digits)');

const portSchema = z.number().int().min(1).max(65535);

export const helloSchema = z
  .object({
    v: version,
    t: z.literal('hello'),
    id: identitySchema,
    port: portSchema,
    host: z.string().max(LIMITS.maxHostLength).refine(isValidHost, 'not a host name or IP address').optional(),
    digest: digestSchema,
  })
  .strict();

export const peerEntrySchema = z.object({ id: identitySchema, addr: addressSchema }).strict();

export const peersSchema = z
  .object({
    v: version,
    t: z.literal('peers'),
    peers: z.array(peerEntrySchema).max(LIMITS.maxListEntries),
    ask: z.boolean(),
  })
  .strict();

export const syncSchema = z.object({ v: version, t: z.literal('sync'), digest: digestSchema }).strict();

export const pingSchema = z
  .object({
    v: version,
    t: z.literal('ping'),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    message: z.string().max(LIMITS.maxPingMessage),
  })
  .strict();

export const heartbeatSchema = z.object({ v: version, t: z.literal('hb') }).strict();

export const leaveSchema = z.object({ v: version, t: z.literal('leave') }).strict();

export const messageSchema = z.discriminatedUnion('t', [
  helloSchema,
  peersSchema,
  syncSchema,
  pingSchema,
  heartbeatSchema,
  leaveSchema,
]);

/**
 * Compile-time check that every domain message type has a schema (the other
 * direction, that each schema yields a Message, is checked by decodeMessage's type).
 */
const _everyTypeHasASchema: [Message['t']] extends [z.output<typeof messageSchema>['t']] ? true : never = true;
