export const Logger = Symbol('Logger');

/** A bunyan-shaped structured logger: fields first, then the message. */
export interface Logger {
  trace(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
