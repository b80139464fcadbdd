/** A simulated process could not listen where it asked to (address in use, not its machine). */
export class SimulatedBindError extends Error {
  override readonly name = 'SimulatedBindError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
