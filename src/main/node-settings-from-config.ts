import type { NodeSettings } from '../application/node-settings';
import type { Identity } from '../domain/identity';
import type { NodeConfig } from './config';

const MS = 1000;

type SettingsConfig = Pick<NodeConfig, 'host' | 'port' | 'advertise' | 'connect' | 'period' | 'heartbeatInterval' | 'deadAfter' | 'reconnectMax' | 'reconnectTimeout' | 'tags'>;

/** The validated config in the protocol's units; the allowlist is read by the caller. */
export function nodeSettingsFromConfig(config: SettingsConfig, allow?: ReadonlySet<Identity>): NodeSettings {
  return {
    host: config.host,
    port: config.port,
    advertise: config.advertise,
    connect: config.connect,
    periodMs: config.period * MS,
    heartbeatIntervalMs: config.heartbeatInterval * MS,
    deadAfterMs: config.deadAfter * MS,
    reconnectMaxMs: config.reconnectMax * MS,
    reconnectTimeoutMs: config.reconnectTimeout * MS,
    allow,
    tags: config.tags,
  };
}
