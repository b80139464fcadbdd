import type { Logger } from '../../application/ports/logger.port';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

const RANK: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

/** One log record as a simulated node wrote it, stamped with fake time. */
export interface LogRecord {
  readonly at: number;
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: object;
}

/**
 * Records a simulated node's log by level, so that a scenario can fail on an
 * error nobody expected. Records below `minLevel` are dropped.
 */
export class RecordingLogger implements Logger {
  private readonly kept: LogRecord[] = [];

  constructor(
    private readonly now: () => number,
    private readonly minLevel: LogLevel,
  ) {}

  get records(): readonly LogRecord[] {
    return this.kept;
  }

  trace(fields: object, message: string): void {
    this.record('trace', fields, message);
  }

  debug(fields: object, message: string): void {
    this.record('debug', fields, message);
  }

  info(fields: object, message: string): void {
    this.record('info', fields, message);
  }

  warn(fields: object, message: string): void {
    this.record('warn', fields, message);
  }

  error(fields: object, message: string): void {
    this.record('error', fields, message);
  }

  private record(level: LogLevel, fields: object, message: string): void {
    if (RANK[level] >= RANK[this.minLevel]) this.kept.push({ at: this.now(), level, message, fields });
  }
}
