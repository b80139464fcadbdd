import { readFileSync } from 'node:fs';

/**
 * What Linux says about a process in /proc/<pid>: CPU time (utime + stime
 * of /proc/<pid>/stat, in clock ticks of 10 ms), resident memory and
 * write system calls. Linux only, as the benchmarks are.
 */

/** USER_HZ: the unit of utime and stime; 100 on every Linux that matters. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time used so far (user + system), in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size now, in MiB. */
export function rssMiB(pid: number): number {
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** write(2)-family system calls so far (syscw of /proc/<pid>/io). */
export function writeCalls(pid: number): number {
  const count = /syscw:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1];
  if (count === undefined) throw new Error(`no syscw for pid ${pid}`);
  return Number(count);
}
