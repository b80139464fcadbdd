/** `createNode` was given options it cannot run with; `problems` lists each, one line apiece. */
export class NodeOptionsError extends Error {
  override readonly name = 'NodeOptionsError';

  constructor(readonly problems: readonly string[]) {
    super(`invalid node options: ${problems.join('; ')}`);
  }
}
