/**
 * A stranger for the benchmarks: a fresh key, the TLS handshake and the
 * network-key step exactly as the transport does them (harness/raw-peer.ts),
 * a hello, then whatever frames the benchmark wants sent.
 */
import { rawPeer } from '../harness/raw-peer';
import type { Address } from '../src/domain/address';
import { generateCredentials } from '../src/adapters/keys/generate-credentials';
import { encodeFrame } from '../src/adapters/wire/frame-codec';
import type { Identity } from '../src/domain/identity';
import type { Message } from '../src/domain/messages';

export async function strangerSays(target: { port: number; id: string }, claimPort: number, then: readonly Message[]): Promise<Identity> {
  const own = await generateCredentials();
  const socket = await rawPeer({ address: `127.0.0.1:${target.port}` as Address, identity: target.id as Identity }, own);
  socket.resume();
  socket.write(encodeFrame({ v: 1, t: 'hello', id: own.identity, port: claimPort, digest: '0000000000000000' }));
  for (const message of then) socket.write(encodeFrame(message));
  await new Promise<void>((resolve) => socket.end(resolve));
  return own.identity;
}
