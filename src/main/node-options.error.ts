/**
 * `createNode` was given options or adapters it cannot run with, found by the
 * constructor or by `start()` (an unreadable key file); `problems` lists each,
 * one line apiece, naming the option or adapter. A file problem keeps the
 * ConfigurationError as `cause`, whose `sources` say which option named the file.
 */
export class NodeOptionsError extends Error {
  override readonly name = 'NodeOptionsError';

  constructor(
    readonly problems: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid node options: ${problems.join('; ')}`, options);
  }
}
