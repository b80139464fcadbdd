import type { StoredPeer } from '../../../src/application/ports/peer-store.port';
import { formatAddress } from '../../../src/domain/address';
import type { Identity } from '../../../src/domain/identity';
import { byId, identityFor } from './stored-peers.fixture';

/** Enough peers that the file spans several pages (~40 KB). */
const PEER_COUNT = 256;

interface PeerChanges {
  remember(peer: StoredPeer): void;
  forget(id: Identity): void;
}

/**
 * Step n of the crash writer, a pure function of n so that the test can
 * rebuild the exact state any step leaves. The peer remembered at step n has
 * lastSeen n and is not forgotten in the same step (6n+5 is odd, so never a
 * multiple of 64), so the newest lastSeen in a stored state names its step.
 * The address length varies, so the file changes size from step to step.
 */
export function applyCrashStep(store: PeerChanges, step: number): void {
  const host = `h${'x'.repeat(step % 50)}.example`;
  store.remember({ id: identityFor(step % PEER_COUNT), address: formatAddress(host, 1 + (step % 65535)), lastSeen: step });
  if (step % 3 === 0) store.forget(identityFor((step * 7 + 5) % PEER_COUNT));
}

/** The step a stored state was written at: 0 for the empty store. */
export function stepOf(peers: readonly StoredPeer[]): number {
  return peers.reduce((newest, peer) => Math.max(newest, peer.lastSeen), 0);
}

export function stateAfter(step: number): StoredPeer[] {
  const peers = new Map<Identity, StoredPeer>();
  const model: PeerChanges = {
    remember: (peer) => peers.set(peer.id, peer),
    forget: (id) => peers.delete(id),
  };
  for (let n = 1; n <= step; n += 1) applyCrashStep(model, n);
  return byId(peers.values());
}
