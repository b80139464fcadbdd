import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Identity } from '../../domain/identity';
import type { AuthFrame } from '../wire/auth.schema';

/**
 * Proof of the network key, bound to one TLS session: HMAC-SHA256 over the
 * session's exported keying material, the sender's role, and both identities.
 * The key never crosses the wire; a MAC cannot be replayed on another
 * session, nor reflected back (the roles differ).
 */
export const KEYING_MATERIAL_LABEL = 'p2p-gossip network key';
export const KEYING_MATERIAL_BYTES = 32;

export type Role = 'client' | 'server';

// Equal lengths, so the concatenation below is unambiguous.
const ROLE_LABELS: Readonly<Record<Role, Buffer>> = {
  client: Buffer.from('p2p-gossip client', 'ascii'),
  server: Buffer.from('p2p-gossip server', 'ascii'),
};

interface MacInput {
  readonly keyingMaterial: Buffer;
  readonly sender: Role;
  readonly client: Identity;
  readonly server: Identity;
}

function networkKeyMac(networkKey: Buffer, input: MacInput): Buffer {
  return createHmac('sha256', networkKey)
    .update(input.keyingMaterial)
    .update(ROLE_LABELS[input.sender])
    .update(input.client, 'ascii')
    .update(input.server, 'ascii')
    .digest();
}

/** Constant-time comparison of a received MAC (hex) with the expected one. */
function macMatches(receivedHex: string, expected: Buffer): boolean {
  const received = Buffer.from(receivedHex, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** What one side sends, and what it expects back, to admit a connection. */
export interface Admission {
  readonly frame: AuthFrame;
  /** The MAC the peer must send; undefined without a network key (then it must send none). */
  readonly expected: Buffer | undefined;
}

export interface AdmissionInput {
  readonly networkKey: Buffer | undefined;
  /** Reads the TLS session's exported keying material (only called with a network key). */
  readonly keyingMaterial: () => Buffer;
  readonly mine: Role;
  readonly own: Identity;
  readonly peer: Identity;
}

export function prepareAdmission(input: AdmissionInput): Admission {
  if (input.networkKey === undefined) return { frame: { v: 1, t: 'auth' }, expected: undefined };
  const keyingMaterial = input.keyingMaterial();
  const client = input.mine === 'client' ? input.own : input.peer;
  const server = input.mine === 'server' ? input.own : input.peer;
  const theirs: Role = input.mine === 'client' ? 'server' : 'client';
  const mac = networkKeyMac(input.networkKey, { keyingMaterial, sender: input.mine, client, server });
  return {
    frame: { v: 1, t: 'auth', mac: mac.toString('hex') },
    expected: networkKeyMac(input.networkKey, { keyingMaterial, sender: theirs, client, server }),
  };
}

/** Why the peer's auth frame does not admit it (a `network_key` rejection), or undefined if it does. */
export function admissionFailure(frame: AuthFrame, expected: Buffer | undefined): string | undefined {
  if (expected === undefined) return frame.mac === undefined ? undefined : 'the peer requires a network key and we have none';
  if (frame.mac === undefined) return 'the peer did not prove the network key';
  return macMatches(frame.mac, expected) ? undefined : 'the peer holds a different network key';
}
