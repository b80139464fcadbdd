import { killAllProcesses } from '../../harness/processes';
import type { Progress } from './progress';
import { type BenchResult, writeResult } from './results';

/** One line of the summary table. */
export interface Row {
  readonly benchmark: string;
  readonly measure: string;
  readonly result: string;
  readonly goal: string;
  /** Undefined when the row has no goal. */
  readonly met?: boolean;
}

export interface Benchmark {
  readonly name: string;
  /** Rough wall time, for people choosing what to run. */
  readonly seconds: number;
  run(progress: Progress): Promise<BenchResult>;
  /** The table rows of a result (read back from its JSON file). */
  rows(result: BenchResult): Row[];
}

export interface Measured {
  readonly summary?: Record<string, unknown>;
  readonly samples?: unknown;
}

/**
 * Runs a benchmark body, then writes bench/results/<name>.json, with the
 * error instead of figures if it failed (never stale or made-up numbers).
 * Every process still running is killed either way.
 */
export async function record(name: string, params: Record<string, unknown>, body: () => Promise<Measured>): Promise<BenchResult> {
  const started = performance.now();
  let measured: Measured | undefined;
  let error: string | undefined;
  try {
    measured = await body();
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    killAllProcesses();
  }
  const wallMs = Math.round(performance.now() - started);
  return writeResult(error === undefined ? { name, wallMs, params, ...measured } : { name, wallMs, params, error });
}

/** The figure of `value` with its unit, or a dash when it is missing. */
export function show(value: unknown, unit: string, decimals = 1): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${value.toFixed(decimals)} ${unit}`.trim() : '–';
}

export function failedRow(name: string, result: BenchResult | undefined): Row[] | undefined {
  if (result === undefined) return [{ benchmark: name, measure: 'not run yet', result: '–', goal: '' }];
  if (result.error !== undefined) return [{ benchmark: name, measure: 'failed', result: result.error.slice(0, 120), goal: '' }];
  return undefined;
}

function verdict(row: Row): string {
  if (row.met === undefined) return '';
  return row.met ? 'met' : 'MISSED';
}

export function markdownTable(rows: readonly Row[]): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| benchmark | measure | result | goal | |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) lines.push(`| ${[row.benchmark, row.measure, row.result, row.goal, verdict(row)].map(escape).join(' | ')} |`);
  return lines.join('\n');
}

export function textTable(rows: readonly Row[]): string {
  const cells = [['benchmark', 'measure', 'result', 'goal', ''], ...rows.map((row) => [row.benchmark, row.measure, row.result, row.goal, verdict(row)])];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((line) => (line[column] ?? '').length)));
  const format = (line: string[]): string => line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(format)].join('\n');
}
