import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../harness/repo-root';

export { repoRoot } from '../../harness/repo-root';

export const RESULTS_DIR = join(repoRoot(), 'bench', 'results');

/** What every bench/results/<name>.json holds, around the benchmark's own figures. */
export interface BenchResult<Summary = Record<string, unknown>> {
  readonly name: string;
  readonly date: string;
  readonly node: string;
  readonly machine: { readonly cpus: number; readonly model: string; readonly platform: string };
  readonly wallMs: number;
  readonly params: Record<string, unknown>;
  /** Absent when the benchmark failed. */
  readonly summary?: Summary;
  readonly samples?: unknown;
  readonly error?: string;
}

export function resultFile(name: string): string {
  return join(RESULTS_DIR, `${name}.json`);
}

export function writeResult(result: Omit<BenchResult, 'date' | 'node' | 'machine'>): BenchResult {
  const { name, ...rest } = result;
  const full: BenchResult = {
    name,
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', platform: `${process.platform}-${process.arch}` },
    ...rest,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(resultFile(name), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

export function readResult(name: string): BenchResult | undefined {
  const file = resultFile(name);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
}
