import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * `npm run demo`: three real nodes on 127.0.0.1 in one terminal. Node b
 * joins through a, c through b; within a second all three are connected and
 * their pings scroll by, each line prefixed with the node that printed it.
 * Each serves its admin API on loopback (ports DEMO_PORT+10…+12), so that
 * `p2p-gossip members --admin 127.0.0.1:7411` or a browser at that address
 * can look inside. Logs are readable lines, as on a terminal.
 * Ctrl-C stops them gracefully (each says goodbye to the others).
 */
const BIN = join(__dirname, '..', '..', 'bin', 'p2p-gossip');
const BASE_PORT = Number(process.env['DEMO_PORT'] ?? 7401);
const COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[33m'];
const RESET = '\x1b[0m';

const ADMIN_BASE_PORT = BASE_PORT + 10;

const nodes: { name: string; args: string[] }[] = [
  { name: 'a', args: ['--period', '2', '--port', String(BASE_PORT), '--tag', 'role=seed'] },
  { name: 'b', args: ['--period', '3', '--port', String(BASE_PORT + 1), '--connect', `127.0.0.1:${BASE_PORT}`, '--tag', 'role=web'] },
  { name: 'c', args: ['--period', '2.5', '--port', String(BASE_PORT + 2), '--connect', `127.0.0.1:${BASE_PORT + 1}`, '--tag', 'role=db'] },
];

const children: ChildProcess[] = nodes.map(({ name, args }, index) => {
  // Their own process group: Ctrl-C reaches the demo only, which stops each node once.
  const admin = ['--admin', `127.0.0.1:${ADMIN_BASE_PORT + index}`];
  const child = spawn(BIN, ['--host', '127.0.0.1', '--log-level', 'warn', '--log-format', 'text', ...admin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const colour = process.stdout.isTTY ? (COLOURS[index] ?? '') : '';
  const prefix = `${colour}[${name}]${colour ? RESET : ''} `;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(prefix + line));
  }
  child.on('exit', (code, signal) => console.log(`${prefix}exited (${signal ?? code})`));
  return child;
});

let stopping = false;
function stopAll(): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);
console.log(`three nodes on 127.0.0.1:${BASE_PORT}-${BASE_PORT + 2}; Ctrl-C stops them`);
console.log(`admin APIs and status pages: http://127.0.0.1:${ADMIN_BASE_PORT}/ to http://127.0.0.1:${ADMIN_BASE_PORT + 2}/`);
console.log(`try: ./bin/p2p-gossip members --admin 127.0.0.1:${ADMIN_BASE_PORT}`);
