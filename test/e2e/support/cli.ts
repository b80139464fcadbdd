import { execFile } from 'node:child_process';
import { BIN } from './node-process';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the command to completion (bounded by a deadline) and returns what it printed. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 15_000, bin = BIN): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** `p2p-gossip keygen …`, failing loudly if it fails. */
export async function keygen(args: readonly string[]): Promise<string> {
  const result = await runCli(['keygen', ...args]);
  if (result.code !== 0) throw new Error(`keygen failed: ${result.stderr}`);
  return result.stdout.trim();
}
