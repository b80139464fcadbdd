/**
 * A host program that embeds two p2p-gossip nodes in one process:
 * - `alpha` keeps the defaults and is watched through typed events;
 * - `beta` brings its own Output adapter (the second argument of createNode),
 *   which collects events in an array.
 * beta joins through alpha, each broadcasts a greeting, and both stop.
 *
 * Run it with `npx ts-node examples/two-nodes.ts` after `npm ci`.
 */
import { createNode, type NodeEvent, type Output } from 'p2p-gossip';

/** An Output adapter of the host's own: any object with `emit(event, at)`. */
class CollectingOutput implements Output {
  readonly seen: string[] = [];

  emit(event: NodeEvent, at: Date): void {
    this.seen.push(`${at.toISOString()} ${event.event}`);
  }
}

async function main(): Promise<void> {
  const common = { host: '127.0.0.1', port: 0, period: 0.2, heartbeatInterval: 0.2, deadAfter: 1 };
  const alpha = createNode(common);
  const greeted = new Promise<string>((resolve) => {
    alpha.on('ping_received', (event) => {
      if (event.message === 'hello from beta') resolve(`${event.ts} alpha got "${event.message}" from ${event.peer.slice(0, 12)} at ${event.address}`);
    });
  });
  const { advertise } = await alpha.start();

  const collected = new CollectingOutput();
  const beta = createNode({ ...common, connect: [advertise] }, { output: collected });
  const connected = new Promise<void>((resolve) => beta.once('peer_connected', () => resolve()));
  await beta.start();
  await connected;

  beta.broadcast('hello from beta');
  console.log(await greeted);
  console.log('alpha knows', alpha.members().map((m) => `${m.id.slice(0, 12)} (${m.state})`).join(', '));

  await Promise.all([beta.stop(), alpha.stop()]);
  console.log(`beta's own output adapter saw: ${collected.seen.map((line) => line.split(' ')[1]).join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
