/**
 * The default of every option that has one, as plain values: `--help` shows
 * them without loading zod (start-up time). The schema in config.ts applies
 * them, and says beside each option why it has that value.
 */
export const OPTION_DEFAULTS = {
  period: 5,
  port: 8080,
  host: '0.0.0.0',
  heartbeatInterval: 1,
  deadAfter: 5,
  output: 'text',
  logLevel: 'info',
  reconnectMax: 10,
  reconnectTimeout: 86400,
} as const;
