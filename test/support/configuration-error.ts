import assert from 'node:assert/strict';
import { ConfigurationError } from '../../src/application/configuration.error';
import { flagOf } from '../../src/cli/node-options';

/**
 * For assert.rejects/throws: a ConfigurationError whose one-line message, as
 * the CLI words it (files named by their flags), is `message` (or matches it).
 * Its own message, for a library, names the same files without flags.
 */
export function configurationError(message: string | RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ConfigurationError, `not a ConfigurationError: ${String(error)}`);
    const worded = error.describe(flagOf);
    if (typeof message === 'string') assert.equal(worded, message);
    else assert.match(worded, message);
    if (error.sources.length > 0) {
      assert.ok(!error.message.startsWith('--'), `the library message speaks in flags: ${error.message}`);
      assert.ok(error.message.endsWith(`: ${error.problem}`), error.message);
    }
    return true;
  };
}
