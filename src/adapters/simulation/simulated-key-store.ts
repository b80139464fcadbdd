import { inject, injectable } from 'inversify';
import { createHash } from 'node:crypto';
import type { Identity } from '../../domain/identity';
import type { KeyStore, NodeCredentials } from '../../application/ports/key-store.port';
import { SimulatedKeyName, SimulationSeed } from './process-settings';

/**
 * The identity a simulated key would have: SHA-256 of the seed and the key's
 * name, standing in for the SHA-256 of a public key. The same name under the
 * same seed is the same key, so a node restarted "with its key" keeps its identity.
 */
export function simulatedIdentity(seed: number, keyName: string): Identity {
  return createHash('sha256').update(`simulated key ${seed}/${keyName}`).digest('hex') as Identity;
}

/** A key store holding one named fake key; the PEM fields are placeholders no one parses. */
@injectable()
export class SimulatedKeyStore implements KeyStore {
  private readonly credentials: NodeCredentials;

  constructor(@inject(SimulationSeed) seed: number, @inject(SimulatedKeyName) keyName: string) {
    const identity = simulatedIdentity(seed, keyName);
    this.credentials = {
      identity,
      keyPem: `-----BEGIN SIMULATED KEY-----\n${keyName}\n-----END SIMULATED KEY-----\n`,
      certPem: `-----BEGIN SIMULATED CERTIFICATE-----\n${identity}\n-----END SIMULATED CERTIFICATE-----\n`,
    };
  }

  get identity(): Identity {
    return this.credentials.identity;
  }

  async load(): Promise<NodeCredentials> {
    return this.credentials;
  }
}
