import { Cli, EXIT_FAILURE } from './cli';

/**
 * The process entry point, and the only code that touches `process`. The
 * first SIGINT or SIGTERM stops the node gracefully; a second one exits at once.
 */

/** Once the command is done, handles still open after this long are a leak: exit anyway. */
const EXIT_GRACE_MS = 3000;

const stopping = new AbortController();

function onSignal(): void {
  if (!stopping.signal.aborted) {
    stopping.abort();
    return;
  }
  process.stderr.write('p2p-gossip: second signal: exiting without waiting for peers\n');
  process.exit(EXIT_FAILURE);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// A reader that went away (`p2p-gossip | head`) is a request to stop, not a crash.
process.stdout.on('error', () => stopping.abort());

const cli = new Cli({ argv: process.argv.slice(2), stdout: process.stdout, stderr: process.stderr, env: process.env });

/** An error nothing caught: one plain line and exit 1, never a stack trace (stderr is written synchronously). */
function onCrash(error: unknown): void {
  process.exit(cli.crashed(error));
}

process.on('uncaughtException', onCrash);
process.on('unhandledRejection', onCrash);

cli
  .run(stopping.signal)
  .then((code) => {
    process.exitCode = code;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Exit on our own once stdout has drained; the unref'd timer only forces it if something leaked.
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
  });
