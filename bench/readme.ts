/**
 * `npm run bench:readme`: rewrites the README's benchmark section (between
 * the bench markers; appended at the end if they are missing) from
 * bench/results/*.json alone. Nothing is measured here.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS } from './benchmarks';
import { markdownTable, type Row } from './lib/benchmark';
import { type BenchResult, readResult, repoRoot } from './lib/results';

const START = '<!-- bench:start -->';
const END = '<!-- bench:end -->';

export function tableRows(): { rows: Row[]; results: BenchResult[] } {
  const rows: Row[] = [];
  const results: BenchResult[] = [];
  for (const bench of BENCHMARKS) {
    const result = readResult(bench.name);
    if (result === undefined) {
      rows.push({ benchmark: bench.name, measure: 'not run yet', result: '–', goal: '' });
      continue;
    }
    results.push(result);
    rows.push(...bench.rows(result));
  }
  return { rows, results };
}

function section(): string {
  const { rows, results } = tableRows();
  const dates = results.map((result) => result.date.slice(0, 10)).sort();
  const first = results[0];
  const where = first === undefined ? 'not measured yet' : `${first.machine.cpus} × ${first.machine.model}, Node ${first.node}, ${dates[0]}${dates[dates.length - 1] !== dates[0] ? ` to ${dates[dates.length - 1]}` : ''}`;
  return [
    START,
    '## Benchmarks',
    '',
    '`npm run bench` reruns them all (about 8 minutes on 2 cores), `npm run bench:<name>` one of',
    'them (startup, handshake, cluster, admin-idle, restart, mesh, join, detection, healing,',
    'long-split, flood, sim), and `npm run bench:readme` rewrites this table from `bench/results/*.json`, which also',
    'hold the parameters and raw samples. Everything runs on 127.0.0.1 (long-split in network',
    'namespaces it makes itself, where root allows). startup compares with a bare `node` measured',
    'in the same run, interleaved; cluster and restart run one CLI process per node (CPU as the',
    'run time of each process\'s threads from /proc/<pid>/task/*/schedstat, in ns rather than 10 ms',
    'clock ticks; one frame per socket write). cluster watches each mesh idle for two windows of 30 s:',
    'the first starts 5 s after the mesh, while V8 still compiles the nodes\' hot paths, its memory',
    'reducer collects (about 8 s after a start) and new members become established (their pins are',
    'written); the second is the steady idle a node then keeps, which the goals are for. admin-idle runs one mesh in which one of each pair of',
    'neighbours in launch order has `--admin` (never queried; A B, B A, A B, ...) and compares each',
    'pair over the same idle window, since a node\'s idle CPU also depends on its place in the chain',
    '(round trips are measured by all: they ride on frames sent anyway); mesh puts all N nodes in one process; join,',
    'detection, healing and flood run one CLI process per node, detection with a busy loop on',
    'every core throughout. `BENCH_QUICK=1` runs startup, cluster, admin-idle and restart small and short, to',
    'check that they work (its figures are not the table\'s).',
    `Last measured: ${where}.`,
    '',
    markdownTable(rows),
    '',
    END,
  ].join('\n');
}

/** Rewrites the section; returns true when the README changed. */
export function updateReadme(): boolean {
  const file = join(repoRoot(), 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const updated = start >= 0 && end > start
    ? text.slice(0, start) + section() + text.slice(end + END.length)
    : `${text.replace(/\n*$/, '\n\n')}${section()}\n`;
  if (updated === text) return false;
  writeFileSync(file, updated);
  return true;
}

if (require.main === module) {
  const changed = updateReadme();
  console.log(changed ? 'README.md: benchmark table rewritten from bench/results/' : 'README.md: benchmark table already up to date');
}
