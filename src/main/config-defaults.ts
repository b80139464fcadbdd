import { PROTOCOL_DEFAULTS } from '../domain/protocol-options';

/** Seconds in the options, milliseconds in the protocol. */
const MS = 1000;

/**
 * The default of every option that has one, as plain values: `--help` shows
 * them without loading zod (start-up time). The schema in config.ts applies
 * them; the protocol's timings come from PROTOCOL_DEFAULTS, which says why
 * each has its value.
 */
export const OPTION_DEFAULTS = {
  period: PROTOCOL_DEFAULTS.periodMs / MS,
  port: 8080,
  host: '0.0.0.0',
  heartbeatInterval: PROTOCOL_DEFAULTS.heartbeatIntervalMs / MS,
  deadAfter: PROTOCOL_DEFAULTS.deadAfterMs / MS,
  output: 'text',
  logLevel: 'info',
  reconnectMax: PROTOCOL_DEFAULTS.reconnectMaxMs / MS,
  reconnectTimeout: PROTOCOL_DEFAULTS.reconnectTimeoutMs / MS,
} as const;
