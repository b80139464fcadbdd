/**
 * A node's identity: the SHA-256 of its public key (DER SubjectPublicKeyInfo),
 * as 64 lowercase hex digits. The hash itself is computed by the key store;
 * the domain only ever handles the canonical text form.
 */
export type Identity = string & { readonly __brand: 'Identity' };

const IDENTITY_PATTERN = /^[0-9a-f]{64}$/;

/** Length of the short form shown to people (like a git short hash). */
export const SHORT_IDENTITY_LENGTH = 12;

export function isIdentity(value: unknown): value is Identity {
  return typeof value === 'string' && IDENTITY_PATTERN.test(value);
}

/** Parses the canonical form; upper-case hex is accepted and normalised. */
export function parseIdentity(text: string): Identity | undefined {
  const lower = text.trim().toLowerCase();
  return isIdentity(lower) ? lower : undefined;
}

export function shortIdentity(identity: Identity): string {
  return identity.slice(0, SHORT_IDENTITY_LENGTH);
}

/** The deterministic order used for tie-breaks: plain string order of the hex form. */
export function compareIdentities(a: Identity, b: Identity): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
