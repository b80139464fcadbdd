import bunyan from 'bunyan';
import type { Logger } from '../../application/ports/logger.port';
import type { LogLevel } from './log-level';
import { textLogLine } from './text-log-line';

export type { LogLevel } from './log-level';

/** Where the CLI's log records go (stderr), bound in the container under this token. */
export const LogSink = Symbol('LogSink');

/** Where log records go: process.stderr, or a buffer in tests. */
export interface LogSink {
  write(text: string): unknown;
}

/** Above `fatal`, so that no record passes: bunyan's way of saying "off". */
const OFF = bunyan.FATAL + 1;

/** A bunyan logger named p2p-gossip writing one record per line to `sink`: bunyan JSON, or a readable line with `format: 'text'`. */
export function createBunyanLogger(sink: LogSink, level: LogLevel, format: 'text' | 'json' = 'json'): Logger {
  const bunyanLevel = level === 'off' ? OFF : level;
  const stream: bunyan.Stream =
    format === 'text'
      ? { type: 'raw', stream: { write: (record: object): unknown => sink.write(textLogLine(record as Record<string, unknown>)) } as unknown as NodeJS.WritableStream }
      : { stream: { write: (record: object): unknown => sink.write(String(record)) } as unknown as NodeJS.WritableStream };
  return bunyan.createLogger({
    name: 'p2p-gossip',
    level: bunyanLevel,
    serializers: { err: bunyan.stdSerializers.err },
    streams: [stream],
  });
}
