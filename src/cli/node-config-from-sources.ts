import type { DescribeOption, NodeConfig } from '../main/config';
import type { Environment } from './cli-services';
import { flagOf } from './node-options';

export interface ConfigSources {
  /** The flags given, by config key (commander's camelCase names). */
  readonly flags: Readonly<Record<string, unknown>>;
  readonly env: Environment;
  /** The `--config` file, if any: its path and its mapping. */
  readonly file?: { readonly path: string; readonly values: Readonly<Record<string, unknown>> };
}

/**
 * Flags beat the file; the log level comes from `--log-level`, then
 * LOG_LEVEL, then the file. Errors name the source the bad value came from.
 */
export function nodeConfigFromSources(sources: ConfigSources): NodeConfig {
  const logLevelFromEnv = sources.flags['logLevel'] === undefined && nonEmpty(sources.env['LOG_LEVEL']);
  const raw = {
    ...sources.file?.values,
    ...sources.flags,
    ...(logLevelFromEnv ? { logLevel: sources.env['LOG_LEVEL']?.trim().toLowerCase() } : {}),
  };
  // Required here, not imported: zod is loaded by a node's start, never by --help or keygen.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading late is the point
  const { parseNodeConfig } = require('../main/config') as typeof import('../main/config');
  return parseNodeConfig(raw, describeSource(sources, logLevelFromEnv));
}

function describeSource(sources: ConfigSources, logLevelFromEnv: boolean): DescribeOption {
  return (path) => {
    const [key] = path;
    if (typeof key !== 'string') return sources.file?.path ?? 'options';
    if (key in sources.flags) return flagOf(key);
    if (key === 'logLevel' && logLevelFromEnv) return 'LOG_LEVEL';
    if (sources.file !== undefined && key in sources.file.values) return `${sources.file.path}: ${keyPath(path)}`;
    // Not given anywhere: the default is in conflict with another option.
    return flagOf(key);
  };
}

/** `connect[2]`, as the place in the YAML file. */
function keyPath(path: readonly PropertyKey[]): string {
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`)).join('');
}

/** An empty LOG_LEVEL is unset, as shells and service managers often leave it. */
function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value !== '';
}
