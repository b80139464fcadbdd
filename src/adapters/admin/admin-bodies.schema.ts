import { z } from 'zod';
import { LIMITS } from '../../domain/messages';
import { tagsProblem } from '../../domain/tags';
import { utf8Bytes } from '../../domain/utf8';

/** What the admin API accepts; anything else is a 400 that changes nothing. */

export const broadcastBody = z
  .object({
    message: z
      .string({ error: 'message must be text' })
      // A broadcast travels as a ping: the wire's limit.
      .refine((text) => utf8Bytes(text) <= LIMITS.maxPingMessageBytes, { error: `message must be at most ${LIMITS.maxPingMessageBytes} bytes of UTF-8` }),
  })
  .strict();

export const tagsBody = z
  .object({
    tags: z.record(z.string(), z.string({ error: 'every tag value must be text' }), { error: 'tags must be an object of text values' }).superRefine((tags, context) => {
      const problem = tagsProblem(tags);
      if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
    }),
  })
  .strict();

/** The first problem, as one line for `{ "error": … }`. */
export function bodyProblem(error: z.ZodError): string {
  const [issue] = error.issues;
  if (issue === undefined) return 'invalid body';
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_type' && issue.path.length === 0) return 'the body must be a JSON object';
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${issue.path.join('.')} is required`;
  return issue.message;
}
