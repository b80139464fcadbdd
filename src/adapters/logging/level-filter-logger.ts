import { inject, injectable } from 'inversify';
import type { Logger } from '../../application/ports/logger.port';
import { LEVEL_VALUES, LogLevel } from './log-level';

/** The logger whose records a LevelFilterLogger passes on (an embedded node's host logger), bound under this token. */
export const UnfilteredLogger = Symbol('UnfilteredLogger');

type Method = keyof Logger;

/**
 * Passes on only the records at `level` or above, as the CLI's bunyan logger
 * does: an embedded node honours `logLevel` whatever logger its host gives it.
 */
@injectable()
export class LevelFilterLogger implements Logger {
  private readonly threshold: number;

  constructor(
    @inject(UnfilteredLogger) private readonly inner: Logger,
    @inject(LogLevel) level: LogLevel,
  ) {
    this.threshold = LEVEL_VALUES[level];
  }

  trace(fields: object, message: string): void {
    this.pass('trace', fields, message);
  }

  debug(fields: object, message: string): void {
    this.pass('debug', fields, message);
  }

  info(fields: object, message: string): void {
    this.pass('info', fields, message);
  }

  warn(fields: object, message: string): void {
    this.pass('warn', fields, message);
  }

  error(fields: object, message: string): void {
    this.pass('error', fields, message);
  }

  private pass(method: Method, fields: object, message: string): void {
    if (LEVEL_VALUES[method] >= this.threshold) this.inner[method](fields, message);
  }
}
