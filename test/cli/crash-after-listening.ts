/**
 * Preloaded (`--require`) into the real entry point by run.test.ts: once the
 * node prints `listening`, it throws from a timer or leaves a rejection
 * unhandled (CRASH=exception|rejection), as a bug would.
 */
const write = process.stdout.write.bind(process.stdout);
let crashed = false;
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]): boolean => {
  const written = write(chunk, ...rest);
  if (!crashed && String(chunk).includes('listening')) {
    crashed = true;
    const error = new Error('boom: a bug nobody caught');
    if (process.env['CRASH'] === 'rejection') void Promise.reject(error);
    else setTimeout(() => {
      throw error;
    }, 0);
  }
  return written;
}) as typeof process.stdout.write;
