import { z } from 'zod';
import { type Address, isValidHost, parseAddress } from '../../domain/address';
import type { Identity } from '../../domain/identity';
import { LIMITS, type Message } from '../../domain/messages';
import { TAG_LIMITS, tagsProblem } from '../../domain/tags';
import { utf8Bytes } from '../../domain/utf8';

/**
 * One zod schema per message of src/domain/messages.ts (protocol version 1).
 * Everything here arrives from other peers, so objects are strict (unknown keys
 * are a violation), strings are bounded, and addresses are parsed with the
 * domain's own parser (and come out in its canonical form).
 *
 * Compatibility within version 1: fields are only ever added as optional and
 * types only appended, so this parser accepts every frame of an earlier
 * build (a hello without `tags`, heartbeats and pings without an echo). The
 * converse does not hold: strict objects and a closed union make an earlier
 * build refuse a field or a type it does not know (a protocol violation that
 * closes that connection), so a build from before tags and round trips
 * cannot stay connected to this one; a mesh is upgraded as a whole.
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

/** TAG_LIMITS, as on the command line: a peer's oversized or malformed tags are a violation. */
export const tagsSchema = z
  .record(z.string().regex(TAG_LIMITS.keyPattern, 'not a tag key'), z.string().max(TAG_LIMITS.maxValueBytes))
  .superRefine((tags, context) => {
    const problem = tagsProblem(tags);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  });

/** The round-trip echo of a heartbeat or ping: both fields or neither. */
const echoFields = {
  ack: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  held: z.number().min(0).max(LIMITS.maxEchoHeldMs).optional(),
};

function bothOrNeither(message: { ack?: number | undefined; held?: number | undefined }): boolean {
  return (message.ack === undefined) === (message.held === undefined);
}

export const helloSchema = z
  .object({
    v: version,
    t: z.literal('hello'),
    id: identitySchema,
    port: portSchema,
    host: z.string().max(LIMITS.maxHostLength).refine(isValidHost, 'not a host name or IP address').optional(),
    digest: digestSchema,
    tags: tagsSchema.optional(),
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
    message: z.string().refine((text) => utf8Bytes(text) <= LIMITS.maxPingMessageBytes, { error: `must be at most ${LIMITS.maxPingMessageBytes} bytes of UTF-8` }),
    ...echoFields,
  })
  .strict()
  .refine(bothOrNeither, 'an echo needs both ack and held');

export const heartbeatSchema = z
  .object({ v: version, t: z.literal('hb'), ...echoFields })
  .strict()
  .refine(bothOrNeither, 'an echo needs both ack and held');

export const leaveSchema = z.object({ v: version, t: z.literal('leave') }).strict();

export const tagsMessageSchema = z.object({ v: version, t: z.literal('tags'), tags: tagsSchema }).strict();

export const messageSchema = z.discriminatedUnion('t', [
  helloSchema,
  peersSchema,
  syncSchema,
  pingSchema,
  heartbeatSchema,
  leaveSchema,
  tagsMessageSchema,
]);

/**
 * Compile-time check that every domain message type has a schema (the other
 * direction, that each schema yields a Message, is checked by decodeMessage's type).
 */
const _everyTypeHasASchema: [Message['t']] extends [z.output<typeof messageSchema>['t']] ? true : never = true;
