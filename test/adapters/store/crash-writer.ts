/**
 * Child process of the crash test: continues the crash scenario from whatever
 * the store in argv[2] holds, flushing after every step as fast as it can.
 * Prints `ready` once loaded, then each step number once its flush resolved,
 * until it is killed.
 */
import { FilePeerStore } from '../../../src/adapters/store/file-peer-store';
import { applyCrashStep, stepOf } from './crash-scenario';

async function run(dataDir: string): Promise<never> {
  const store = new FilePeerStore(dataDir);
  let step = stepOf(await store.load());
  process.stdout.write('ready\n');
  for (;;) {
    step += 1;
    applyCrashStep(store, step);
    await store.flush();
    process.stdout.write(`${step}\n`);
  }
}

run(process.argv[2] ?? '').catch((error: unknown) => {
  process.stderr.write(`crash writer failed: ${String(error)}\n`);
  process.exit(1);
});
