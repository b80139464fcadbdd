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
  /** The MACs the peer may send, one per key we accept; undefined without a network key (then it must send none). */
  readonly expected: readonly Buffer[] | undefined;
}

/**
 * One network key, or a keyring for rotation: the first key proves, and a
 * proof made with any of them is accepted.
 */
export type NetworkKeys = Buffer | readonly Buffer[];

export interface AdmissionInput {
  readonly networkKey: NetworkKeys | undefined;
  /** Reads the TLS session's exported keying material (only called with a network key). */
  readonly keyingMaterial: () => Buffer;
  readonly mine: Role;
  readonly own: Identity;
  readonly peer: Identity;
}

export function prepareAdmission(input: AdmissionInput): Admission {
  const keys = input.networkKey === undefined ? [] : Buffer.isBuffer(input.networkKey) ? [input.networkKey] : input.networkKey;
  const [proving] = keys;
  if (proving === undefined) return { frame: { v: 1, t: 'auth' }, expected: undefined };
  const keyingMaterial = input.keyingMaterial();
  const client = input.mine === 'client' ? input.own : input.peer;
  const server = input.mine === 'server' ? input.own : input.peer;
  const theirs: Role = input.mine === 'client' ? 'server' : 'client';
  const mac = networkKeyMac(proving, { keyingMaterial, sender: input.mine, client, server });
  return {
    frame: { v: 1, t: 'auth', mac: mac.toString('hex') },
    expected: keys.map((key) => networkKeyMac(key, { keyingMaterial, sender: theirs, client, server })),
  };
}

/** Why the peer's auth frame does not admit it (a `network_key` rejection), or undefined if it does. */
export function admissionFailure(frame: AuthFrame, expected: readonly Buffer[] | undefined): string | undefined {
  if (expected === undefined) return frame.mac === undefined ? undefined : 'the peer requires a network key and we have none';
  const { mac } = frame;
  if (mac === undefined) return 'the peer did not prove the network key';
  // Every key is compared, so that the time taken does not tell which one matched.
  const matches = expected.map((candidate) => macMatches(mac, candidate));
  return matches.includes(true) ? undefined : 'the peer holds a different network key';
}
