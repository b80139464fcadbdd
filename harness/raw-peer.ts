import { connect, type TLSSocket } from 'node:tls';
import type { NodeCredentials } from '../src/application/ports/key-store.port';
import type { Address } from '../src/domain/address';
import type { Identity } from '../src/domain/identity';
import { identityOfCertificatePem } from '../src/adapters/keys/identity-of';
import { KEYING_MATERIAL_BYTES, KEYING_MATERIAL_LABEL, prepareAdmission } from '../src/adapters/tls/admission';
import { encodeFrame } from '../src/adapters/wire/frame-codec';

/**
 * A peer that speaks the wire protocol by hand (for tests and benchmarks that
 * play a hostile or odd client): mutual TLS with `own` key to the node at
 * `target`, then the network-key step exactly as the transport does it (its
 * own admission module), unless `sendAuth` is false. What follows is the
 * caller's to write.
 */
export async function rawPeer(
  target: { readonly address: Address; readonly identity: Identity },
  own: NodeCredentials,
  options: { networkKey?: Buffer; sendAuth?: boolean } = {},
): Promise<TLSSocket> {
  const port = Number(target.address.split(':')[1]);
  const socket = connect({ host: '127.0.0.1', port, key: own.keyPem, cert: own.certPem, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
  });
  if (options.sendAuth === false) return socket;
  const { frame } = prepareAdmission({
    networkKey: options.networkKey,
    keyingMaterial: () => socket.exportKeyingMaterial(KEYING_MATERIAL_BYTES, KEYING_MATERIAL_LABEL, Buffer.alloc(0)),
    mine: 'client',
    own: identityOfCertificatePem(own.certPem),
    peer: target.identity,
  });
  socket.write(encodeFrame(frame));
  return socket;
}
