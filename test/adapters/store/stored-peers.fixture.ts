import { createHash } from 'node:crypto';
import type { StoredPeer } from '../../../src/application/ports/peer-store.port';
import { formatAddress, type Address } from '../../../src/domain/address';
import type { Identity } from '../../../src/domain/identity';

/** A distinct, valid identity for each number. */
export function identityFor(n: number): Identity {
  return createHash('sha256').update(`peer ${n}`).digest('hex') as Identity;
}

export function storedPeer(n: number, lastSeen: number, address: Address = formatAddress('10.0.0.1', 1000 + n)): StoredPeer {
  return { id: identityFor(n), address, lastSeen };
}

/** Store order is not part of the contract: compare sorted by identity. */
export function byId(peers: Iterable<StoredPeer>): StoredPeer[] {
  return [...peers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
