import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FilePeerStore, PEERS_FILE_NAME } from '../../../src/adapters/store/file-peer-store';
import { byId } from './stored-peers.fixture';
import { stateAfter, stepOf } from './crash-scenario';
import { transpileTree } from './transpile-tree';

const ROOT = path.resolve(__dirname, '../../..');
/**
 * Each kill costs a fresh `node` (0.13 s to start on an idle machine, mostly
 * loading zod), so two lanes run at once for two cores: 300 kills take ~30 s
 * when idle. On a busy machine the time budget stops the run early, but never
 * below MIN_KILLS.
 */
const KILLS = 300;
const LANES = 2;
const BUDGET_MS = 30_000;
const MIN_KILLS = 60;
/** The writer is killed once it has acknowledged 0 to this many flushes… */
const MAX_ACKS_BEFORE_KILL = 5;
/**
 * …and then 0 to this many ms later. Killed at once, it would always die in the
 * same place (just after an ack, before its next write opens the temp file);
 * one write takes 1.5 to 6 ms here, so the delay spreads kills across it.
 */
const MAX_KILL_DELAY_MS = 4;
const WRITER_DEADLINE_MS = 10_000;

interface Kill {
  /** The last step the writer reported as flushed before it was killed. */
  readonly acked: number;
}

/** Starts the writer, kills it with SIGKILL soon after `acks` acknowledged flushes, and waits for it to die. */
function killWriterAfter(writer: string, dataDir: string, acks: number): Promise<Kill> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dataDir], {
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let acked = 0;
    let seen = -1;
    const deadline = setTimeout(() => child.kill('SIGKILL'), WRITER_DEADLINE_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) {
        if (line !== 'ready') acked = Number(line);
        seen += 1;
        if (seen === acks) setTimeout(() => child.kill('SIGKILL'), randomInt(MAX_KILL_DELAY_MS + 1));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && seen >= acks) resolve({ acked });
      else reject(new Error(`writer ended with ${signal ?? `code ${code}`} after ${seen} acks: ${stderr}`));
    });
  });
}

interface Lane {
  readonly kills: number;
  /** Kills that left a temp file, so landed inside a write, before its rename. */
  readonly strays: number;
}

async function killRepeatedly(writer: string, dataDir: string, kills: number, until: number, stop: AbortSignal): Promise<Lane> {
  // Made here, for the writer may be killed before its first write makes it.
  await mkdir(dataDir);
  let strays = 0;
  let kill = 0;
  for (; kill < kills && !stop.aborted && (kill < MIN_KILLS / LANES || Date.now() < until); kill += 1) {
    const { acked } = await killWriterAfter(writer, dataDir, randomInt(MAX_ACKS_BEFORE_KILL + 1));
    const peers = await new FilePeerStore(dataDir).load();
    const step = stepOf(peers);
    assert.ok(step >= acked, `kill ${kill}: the store is at step ${step}, but step ${acked} was acknowledged`);
    assert.deepEqual(byId(peers), stateAfter(step), `kill ${kill}: the store is not the state of step ${step}`);
    const others = (await readdir(dataDir)).filter((name) => name !== PEERS_FILE_NAME);
    assert.ok(others.length === 0 || (others.length === 1 && others[0] === `${PEERS_FILE_NAME}.tmp`), `left behind: ${others.join(', ')}`);
    strays += others.length;
  }
  return { kills: kill, strays };
}

test('a writer killed at random moments, hundreds of times, always leaves the old or the new state', { timeout: 120_000 }, async (t) => {
  const work = await mkdtemp(path.join(os.tmpdir(), 'peer-store-crash-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  const [writer] = transpileTree(ROOT, [path.join(__dirname, 'crash-writer.ts')], path.join(work, 'js'));
  assert.ok(writer);

  const started = Date.now();
  // One lane failing stops the others, and the test ends once none is running.
  const stop = new AbortController();
  const outcomes = await Promise.allSettled(
    Array.from({ length: LANES }, (_, lane) =>
      killRepeatedly(writer, path.join(work, `data-${lane}`), KILLS / LANES, started + BUDGET_MS, stop.signal).catch((error: unknown) => {
        stop.abort();
        throw error;
      }),
    ),
  );
  const lanes = outcomes.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
  const kills = lanes.reduce((sum, lane) => sum + lane.kills, 0);
  const strays = lanes.reduce((sum, lane) => sum + lane.strays, 0);

  t.diagnostic(`${kills} kills in ${Date.now() - started} ms, ${strays} of them inside a write`);
  // Without kills inside a write, the test would have proved nothing.
  assert.ok(strays > 0, 'no kill landed inside a write');
});
