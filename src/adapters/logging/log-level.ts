/** bunyan's levels plus `off`, which passes no record. */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'off';

/** The lowest level a logger passes on, bound in the container under this token. */
export const LogLevel = Symbol('LogLevel');

/** bunyan's numbers: a record passes when its level is at least the logger's. */
export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  off: 70,
};
