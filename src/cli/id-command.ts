import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '../application/configuration.error';
import type { CliServices, TextSink } from './cli-services';
import { fileErrorReason } from '../application/file-error-reason';

/** Prints the identity of the certificate at `certPath`, whole. */
export async function printIdentity(certPath: string, services: CliServices, stdout: TextSink): Promise<void> {
  let pem: string;
  try {
    pem = await readFile(certPath, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`--cert ${certPath}: cannot read: ${fileErrorReason(error)}`, { cause: error });
  }
  let identity: string;
  try {
    identity = services.identityOfCertificatePem(pem);
  } catch (error) {
    throw new ConfigurationError(`--cert ${certPath}: not a PEM certificate`, { cause: error });
  }
  stdout.write(`${identity}\n`);
}
