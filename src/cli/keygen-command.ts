import { ConfigurationError } from '../application/configuration.error';
import type { CliServices, TextSink } from './cli-services';

export interface KeygenRequest {
  readonly key?: string;
  readonly cert?: string;
  readonly networkKey?: string;
}

/** Writes the files asked for and prints the new identity; the writers refuse to overwrite. */
export async function keygen(request: KeygenRequest, services: CliServices, stdout: TextSink): Promise<void> {
  const { key, cert, networkKey } = request;
  if (key === undefined && cert === undefined && networkKey === undefined) {
    throw new ConfigurationError('keygen: give --key and --cert, or --network-key');
  }
  if (key !== undefined && cert !== undefined) {
    // Writing both to one path would fail half-way, after the key.
    if (key === cert) throw new ConfigurationError('keygen: --key and --cert must be different files');
    stdout.write(`${await services.writeKeyPairFiles(key, cert)}\n`);
  } else if (key !== undefined || cert !== undefined) {
    throw new ConfigurationError(`keygen: ${key === undefined ? '--cert' : '--key'}: must be given together with ${key === undefined ? '--key' : '--cert'}`);
  }
  if (networkKey !== undefined) await services.generateNetworkKeyFile(networkKey);
}
