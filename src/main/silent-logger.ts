import type { Logger } from '../application/ports/logger.port';

/** An embedded node logs nowhere unless its host hands it a logger. */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
