/**
 * The second half of `npm run build`: bundles the compiled CLI
 * (dist/src/cli/run.js, from tsc, so decorators and their metadata are
 * tsc's) into one minified file, dist/cli.js, which bin/p2p-gossip runs, and
 * trains V8's code cache for it, dist/cli.js.cache, by running the launcher
 * once as a node (until `listening`) and once for `--help`.
 *
 * Modules loaded late in the source (`require` inside a function) stay late
 * in the bundle: esbuild wraps each in a function run on first use.
 */
import { spawn, spawnSync } from 'node:child_process';
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = join(__dirname, '..', '..');
const BUNDLE = join(root, 'dist', 'cli.js');
const CACHE = `${BUNDLE}.cache`;
const BIN = join(root, 'bin', 'p2p-gossip');
/** The training run is killed after this long, whatever happens. */
const TRAINING_LIMIT_MS = 30_000;

/**
 * bunyan tries these in try/catch and does without them: DTrace probes, file
 * rotation, source positions in records, a cycle-safe stringify. We use none,
 * and loading them from node_modules would cost start-up time.
 */
const BUNYAN_OPTIONAL = /^(dtrace-provider|mv|source-map-support|safe-json-stringify)$/;

const absentOptionals: Plugin = {
  name: 'absent-optionals',
  setup(plugin) {
    plugin.onResolve({ filter: BUNYAN_OPTIONAL }, (args) => ({ path: args.path, namespace: 'absent' }));
    plugin.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not part of the p2p-gossip bundle`)});`,
      loader: 'js',
    }));
  },
};

/**
 * zod's index of its ~50 translations of error messages (about half of zod's
 * size in the bundle): we speak English only, which zod loads by itself.
 */
const englishOnly: Plugin = {
  name: 'zod-english-only',
  setup(plugin) {
    plugin.onResolve({ filter: /[/\\]locales[/\\]index\.cjs$/ }, (args) =>
      /[/\\]node_modules[/\\]zod[/\\]/.test(args.importer) ? { path: join(args.resolveDir, args.path), namespace: 'zod-locales' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "exports.en = require('./en.cjs').default;",
      resolveDir: join(args.path, '..'),
      loader: 'js',
    }));
  },
};

/** Runs the launcher until its first `listening` line, then stops it; the launcher writes the cache on exit. */
function trainAsNode(env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, '--host', '127.0.0.1', '--port', '0', '--output', 'json', '--log-level', 'warn'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const limit = setTimeout(() => child.kill('SIGKILL'), TRAINING_LIMIT_MS);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('"event":"listening"')) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(limit);
      if (code === 0) resolve();
      else reject(new Error(`the training run of ${BIN} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

async function main(): Promise<void> {
  // A failed build leaves no bundle: the launcher then says to build, never runs stale code.
  for (const file of [BUNDLE, CACHE]) rmSync(file, { force: true });
  await build({
    entryPoints: [join(root, 'dist', 'src', 'cli', 'run.js')],
    outfile: BUNDLE,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    plugins: [absentOptionals, englishOnly],
    logLevel: 'warning',
  });
  const training = `${CACHE}.training`;
  const env = { ...process.env, P2P_GOSSIP_CODE_CACHE_OUT: training };
  await trainAsNode(env);
  renameSync(training, CACHE);
  // The second run starts from the first one's cache and adds what --help compiles.
  const help = spawnSync(process.execPath, [BIN, '--help'], { env, stdio: 'ignore', timeout: TRAINING_LIMIT_MS });
  if (help.status !== 0) throw new Error(`the training run of ${BIN} --help failed (exit ${help.status})`);
  renameSync(training, CACHE);
}

main().catch((error: unknown) => {
  for (const file of [BUNDLE, CACHE]) rmSync(file, { force: true });
  console.error(`bundle-cli: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
