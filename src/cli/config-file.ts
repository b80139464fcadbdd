import { readFile } from 'node:fs/promises';
import { ConfigurationError } from '../application/configuration.error';
import { fileErrorReason } from '../application/file-error-reason';

/**
 * Reads the `--config` YAML file: a mapping of option names (the flags in
 * camelCase) to values. An empty file is an empty mapping. The values are
 * checked later, with the flags, by the config schema.
 */
export async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`--config ${path}: cannot read: ${fileErrorReason(error)}`, { cause: error });
  }
  const { parse } = await import('yaml');
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ConfigurationError(`${path}: invalid YAML: ${firstLine(error)}`, { cause: error });
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigurationError(
      `${path}: must be a mapping of option names to values (got ${Array.isArray(document) ? 'a list' : JSON.stringify(document)})`,
    );
  }
  return document as Record<string, unknown>;
}

/** yaml's messages go on with a code frame; the first line names the problem and its place. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').replace(/:$/, '');
}
