import assert from 'node:assert/strict';
import { After } from '@cucumber/cucumber';
import type { SimulationWorld } from './simulation-world';

/** An error record in any node's log fails the scenario, even if every assertion passed. */
After(function (this: SimulationWorld) {
  const unexpected = this.errorRecords();
  assert.deepEqual(
    unexpected.map(({ node, record }) => `${node}: ${record.message} ${JSON.stringify(record.fields)}`),
    [],
    'unexpected error records in the simulated nodes\' logs',
  );
});
