/**
 * Run as its own process by fifty-nodes.test.ts: 50 embedded nodes over real
 * TLS join one after another, reach a full mesh, stop, and the process must
 * then exit by itself (no handle left open). Prints one JSON line of results.
 */
import { createNode, type GossipNode } from '../../src/index';

const COUNT = Number(process.env['NODES'] ?? 50);
const DEADLINE_MS = 60_000;

async function main(): Promise<void> {
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ ok: false, error: 'no full mesh before the deadline' }));
    process.exit(1);
  }, DEADLINE_MS);
  const nodes: GossipNode[] = [];
  let previous: string | undefined;
  for (let i = 0; i < COUNT; i += 1) {
    const node = createNode({ host: '127.0.0.1', port: 0, connect: previous ? [previous] : [] });
    previous = (await node.start()).advertise;
    nodes.push(node);
  }
  const startedAt = Date.now();
  await new Promise<void>((resolve) => {
    const check = setInterval(() => {
      const meshed = nodes.every((node) => node.members().filter((m) => m.state === 'connected').length === COUNT - 1);
      if (meshed) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  const meshMs = Date.now() - startedAt;
  await Promise.all(nodes.map((node) => node.stop()));
  clearTimeout(deadline);
  console.log(JSON.stringify({ ok: true, nodes: COUNT, meshMs }));
}

void main();
