import type { Identity } from '../../domain/identity';

/** What the transport needs to prove who we are. */
export interface NodeCredentials {
  readonly identity: Identity;
  /** PEM private key, in any form node:tls accepts. */
  readonly keyPem: string;
  /** PEM certificate whose public key matches keyPem. */
  readonly certPem: string;
}

export const KeyStore = Symbol('KeyStore');

/** Our key pair and certificate. Loading may read files or generate a key. */
export interface KeyStore {
  /** Rejects with a ConfigurationError naming the file when a key or certificate is unusable. */
  load(): Promise<NodeCredentials>;
}
