/**
 * The peer store could not be read or written. Its message is one line that
 * names the file and the problem, fit to be shown to the user as it is.
 */
export class PeerStoreError extends Error {
  override readonly name = 'PeerStoreError';

  static unreadable(file: string, cause: unknown): PeerStoreError {
    return new PeerStoreError(`peer store ${file} cannot be read: ${describe(cause)}`, { cause });
  }

  /**
   * Corrupt: not JSON at all (a torn write by another tool, a disk fault, an
   * editor accident). Invalid: JSON, but not a document this version reads.
   */
  static unusable(file: string, kind: 'corrupt' | 'invalid', problem: string, cause: unknown): PeerStoreError {
    return new PeerStoreError(`peer store ${file} is ${kind}: ${oneLine(problem)} ${MOVE_IT_AWAY}`, { cause });
  }

  static unwritable(file: string, cause: unknown): PeerStoreError {
    return new PeerStoreError(`peer store ${file} cannot be written: ${describe(cause)}`, { cause });
  }
}

// The file holds the pins, so we never discard it ourselves: the user decides.
const MOVE_IT_AWAY = '(move it away to start afresh; it holds the pinned identities)';

/** One line, whatever the cause: the message goes to stderr as a single line. */
function describe(cause: unknown): string {
  return oneLine(cause instanceof Error ? cause.message : String(cause));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
