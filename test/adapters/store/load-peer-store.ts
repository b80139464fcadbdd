/**
 * Child process that loads the store in argv[2] and prints the outcome as one
 * JSON line, for tests that must run as another user (root reads any file).
 */
import { FilePeerStore } from '../../../src/adapters/store/file-peer-store';

new FilePeerStore(process.argv[2] ?? '').load().then(
  (peers) => process.stdout.write(`${JSON.stringify({ loaded: peers.length })}\n`),
  (error: Error) => process.stdout.write(`${JSON.stringify({ name: error.name, message: error.message })}\n`),
);
