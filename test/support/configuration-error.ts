import assert from 'node:assert/strict';
import { ConfigurationError } from '../../src/application/configuration.error';

/** For assert.rejects/throws: a ConfigurationError whose one-line message is `message` (or matches it). */
export function configurationError(message: string | RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof ConfigurationError, `not a ConfigurationError: ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}
