/**
 * A stranger for the benchmarks: a fresh key, the TLS handshake and the
 * network-key step exactly as the transport does them (its own admission
 * module), a hello, then whatever frames the benchmark wants sent.
 */
import { connect } from 'node:tls';
import { generateCredentials } from '../src/adapters/keys/generate-credentials';
import { KEYING_MATERIAL_BYTES, KEYING_MATERIAL_LABEL, prepareAdmission } from '../src/adapters/tls/admission';
import { encodeFrame } from '../src/adapters/wire/frame-codec';
import type { Identity } from '../src/domain/identity';
import type { Message } from '../src/domain/messages';

export async function strangerSays(target: { port: number; id: string }, claimPort: number, then: readonly Message[]): Promise<Identity> {
  const own = await generateCredentials();
  const socket = connect({ host: '127.0.0.1', port: target.port, key: own.keyPem, cert: own.certPem, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.resume();
  const { frame } = prepareAdmission({
    networkKey: undefined,
    keyingMaterial: () => socket.exportKeyingMaterial(KEYING_MATERIAL_BYTES, KEYING_MATERIAL_LABEL, Buffer.alloc(0)),
    mine: 'client',
    own: own.identity,
    peer: target.id as Identity,
  });
  socket.write(encodeFrame(frame));
  socket.write(encodeFrame({ v: 1, t: 'hello', id: own.identity, port: claimPort, digest: '0000000000000000' }));
  for (const message of then) socket.write(encodeFrame(message));
  await new Promise<void>((resolve) => socket.end(resolve));
  return own.identity;
}
