/** The transport cannot accept peers on the requested address (a runtime failure: exit code 1). */
export class ListenError extends Error {
  override readonly name = 'ListenError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this machine',
  ENOTFOUND: 'unknown host',
  EAI_AGAIN: 'host name lookup failed',
};

/** `address already in use` for EADDRINUSE; the error's own message otherwise. */
export function describeListenFailure(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && REASONS[code] !== undefined) return REASONS[code];
  return error instanceof Error ? error.message : String(error);
}
