import { readdirSync, readFileSync } from 'node:fs';

/**
 * What Linux says about a process in /proc/<pid>: CPU time (the run time
 * of each of its threads in /proc/<pid>/task/<tid>/schedstat, in ns),
 * resident memory and write system calls. Linux only, as the benchmarks are.
 *
 * The CPU time is not utime + stime of /proc/<pid>/stat: those count 10 ms
 * clock ticks, and an idle node uses a few ms a second, so over a 30 s
 * window one tick is a third of the difference the admin-idle benchmark
 * looks for. A thread that ended is no longer counted; Node's threads (V8's
 * and libuv's) live as long as the process.
 */

/** CPU time used so far by the process's threads (user + system), in ms. */
export function cpuMs(pid: number): number {
  let ns = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return ns / 1e6;
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
