import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Logger } from '../../../src/application/ports/logger.port';
import { LevelFilterLogger } from '../../../src/adapters/logging/level-filter-logger';
import type { LogLevel } from '../../../src/adapters/logging/log-level';

const METHODS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

function passed(level: LogLevel): string[] {
  const seen: string[] = [];
  const inner = Object.fromEntries(METHODS.map((method) => [method, (fields: object, message: string) => seen.push(`${method} ${message} ${JSON.stringify(fields)}`)])) as unknown as Logger;
  const logger = new LevelFilterLogger(inner, level);
  for (const method of METHODS) logger[method]({ n: 1 }, 'record');
  return seen;
}

describe('level filter logger', () => {
  it('passes the records at its level and above, unchanged, to the logger behind it', () => {
    assert.deepEqual(passed('warn'), ['warn record {"n":1}', 'error record {"n":1}']);
    assert.equal(passed('trace').length, 5);
    assert.deepEqual(passed('info').map((line) => line.split(' ')[0]), ['info', 'warn', 'error']);
  });

  it('passes nothing at fatal or off (the node never logs fatal)', () => {
    assert.deepEqual(passed('fatal'), []);
    assert.deepEqual(passed('off'), []);
  });
});
