/**
 * The key-file work behind `p2p-gossip keygen` and `p2p-gossip id`, offered to
 * the CLI by the composition root (the CLI never reaches into adapters).
 */
export { generateNetworkKeyFile, writeKeyPairFiles } from '../adapters/keys/key-files';
export { identityOfCertificatePem } from '../adapters/keys/identity-of';
