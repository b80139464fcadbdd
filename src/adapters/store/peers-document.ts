import { z } from 'zod';
import type { StoredPeer } from '../../application/ports/peer-store.port';
import { parseAddress, type Address } from '../../domain/address';
import { isIdentity, type Identity } from '../../domain/identity';

/**
 * The on-disk form of the peer store: `{ "version": 1, "peers": [...] }`.
 * Bump the version for any change an older node would misread; strict
 * objects so that a document of another shape is refused, not half-read.
 */
export const PEERS_DOCUMENT_VERSION = 1;

const storedPeerSchema = z.strictObject({
  id: z.custom<Identity>(isIdentity, { error: 'expected an identity (64 lowercase hex digits)' }),
  address: z.custom<Address>((value) => typeof value === 'string' && parseAddress(value) === value, {
    error: 'expected a host:port address',
  }),
  lastSeen: z.number().nonnegative(),
});

const peersDocumentSchema = z.strictObject({
  version: z.literal(PEERS_DOCUMENT_VERSION, {
    error: `unsupported version (this node reads version ${PEERS_DOCUMENT_VERSION})`,
  }),
  peers: z.array(storedPeerSchema).superRefine((peers, context) => {
    const seen = new Set<string>();
    peers.forEach((peer, index) => {
      if (seen.has(peer.id)) context.addIssue({ code: 'custom', message: 'duplicate id', path: [index, 'id'] });
      seen.add(peer.id);
    });
  }),
});

export type DecodedPeers =
  | { readonly ok: true; readonly peers: StoredPeer[] }
  | { readonly ok: false; readonly kind: 'corrupt' | 'invalid'; readonly problem: string; readonly cause: unknown };

export function decodePeersDocument(text: string): DecodedPeers {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse throws nothing but SyntaxError.
    return { ok: false, kind: 'corrupt', problem: (error as SyntaxError).message, cause: error };
  }
  const parsed = peersDocumentSchema.safeParse(json);
  if (parsed.success) return { ok: true, peers: parsed.data.peers };
  return { ok: false, kind: 'invalid', problem: summarise(parsed.error.issues), cause: parsed.error };
}

/** Sorted by identity, so that the file reads and diffs the same way every time. */
export function encodePeersDocument(peers: Iterable<StoredPeer>): string {
  const sorted = [...peers]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ id, address, lastSeen }) => ({ id, address, lastSeen }));
  return `${JSON.stringify({ version: PEERS_DOCUMENT_VERSION, peers: sorted }, undefined, 2)}\n`;
}

/** The first problem, with where it is (`peers[3].id`), on one line. */
function summarise(issues: readonly z.core.$ZodIssue[]): string {
  const [first] = issues;
  if (!first) return 'unknown problem';
  const where = first.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${where === '' ? 'document' : where.replace(/^\./, '')}: ${first.message}${more}`;
}
