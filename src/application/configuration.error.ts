/**
 * A usage or configuration problem the user must fix (exit code 2). The
 * message is the one plain-text line shown on stderr: it names the flag,
 * config key or file, and what is wrong.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
