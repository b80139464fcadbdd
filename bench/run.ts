/**
 * `npm run bench [-- name…]`: runs the benchmarks (all by default) one after
 * the other with a progress bar, writes bench/results/<name>.json each,
 * prints the summary table and rewrites the README table from the JSON files.
 */
import { BENCHMARKS } from './benchmarks';
import { textTable } from './lib/benchmark';
import { createProgress } from './lib/progress';
import { tableRows, updateReadme } from './readme';

async function main(names: readonly string[]): Promise<number> {
  const unknown = names.filter((name) => !BENCHMARKS.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((bench) => bench.name).join(', ')}`);
    return 2;
  }
  const chosen = names.length === 0 ? BENCHMARKS : BENCHMARKS.filter((bench) => names.includes(bench.name));
  const started = performance.now();
  const progress = createProgress();
  const failures: string[] = [];
  for (const bench of chosen) {
    const result = await bench.run(progress);
    progress.end();
    if (result.error !== undefined) failures.push(`${bench.name}: ${result.error}`);
  }
  console.log(`\n${textTable(tableRows().rows)}\n`);
  updateReadme();
  console.log(`results in bench/results/, README table rewritten; ${chosen.length} benchmark(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const failure of failures) console.error(`FAILED ${failure}`);
  return failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
