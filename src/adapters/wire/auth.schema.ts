import { z } from 'zod';

/**
 * The transport's admission frame, sent once by each side right after the TLS
 * handshake and before any protocol message. It is not a domain message: the
 * membership protocol never sees it. `mac` is present exactly when the sender
 * holds a network key (see src/adapters/tls/admission.ts); a sender holding
 * several keys, during a rotation, proves the first.
 */
export interface AuthFrame {
  readonly v: 1;
  readonly t: 'auth';
  /** HMAC-SHA256, 64 lowercase hex digits. */
  readonly mac?: string;
}

export const authFrameSchema = z
  .object({
    v: z.literal(1),
    t: z.literal('auth'),
    mac: z.string().regex(/^[0-9a-f]{64}$/, 'not a MAC (64 lowercase hex digits)').optional(),
  })
  .strict();
