import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeClock } from '../../../src/adapters/simulation/fake-clock';
import { MemoryNetwork } from '../../../src/adapters/simulation/memory-network';
import { MemoryTransport } from '../../../src/adapters/simulation/memory-transport';
import { NetworkConditions } from '../../../src/adapters/simulation/network-conditions';
import { RawConnection } from '../../../src/adapters/simulation/raw-connection';
import { SeededRandom } from '../../../src/adapters/simulation/seeded-random';
import { SimulatedKeyStore, simulatedIdentity } from '../../../src/adapters/simulation/simulated-key-store';
import { encodeFrame } from '../../../src/adapters/wire/frame-codec';
import { type Address, formatAddress } from '../../../src/domain/address';
import { TransportRecorder } from '../../transport/transport-recorder';

const DIAL_TIMEOUT_MS = 5_000;

async function twoMachines(): Promise<{ clock: FakeClock; network: MemoryNetwork; left: TransportRecorder; right: TransportRecorder; leftT: MemoryTransport; rightAddress: Address }> {
  const clock = new FakeClock();
  const conditions = new NetworkConditions(SeededRandom.derive(1, 'wire'));
  conditions.setLatency(5);
  const network = new MemoryNetwork(clock, conditions, DIAL_TIMEOUT_MS);
  const [left, right] = [new TransportRecorder(), new TransportRecorder()];
  const leftT = new MemoryTransport(network, '10.9.0.1');
  const rightT = new MemoryTransport(network, '10.9.0.2');
  await leftT.listen({ host: leftT.host, port: 8080, credentials: await new SimulatedKeyStore(1, 'left').load() }, left);
  await rightT.listen({ host: rightT.host, port: 8080, credentials: await new SimulatedKeyStore(1, 'right').load() }, right);
  return { clock, network, left, right, leftT, rightAddress: formatAddress(rightT.host, 8080) };
}

test('a dial across a cut cable fails only at the dial timeout; after healing it connects', async () => {
  const { clock, network, left, leftT, rightAddress } = await twoMachines();
  network.partition([['10.9.0.1'], ['10.9.0.2']]);
  leftT.dial(rightAddress);
  clock.advance(DIAL_TIMEOUT_MS - 1);
  assert.deepEqual(left.records, []);
  clock.advance(1);
  assert.deepEqual(left.dialFailures().map((failure) => failure.reason), ['unreachable']);
  network.heal();
  leftT.dial(rightAddress);
  clock.advance(10);
  assert.equal(left.connections().length, 1);
});

test('frames sent into a cut are held, not dropped or closed, and arrive in order once it heals', async () => {
  const { clock, network, left, right, leftT, rightAddress } = await twoMachines();
  leftT.dial(rightAddress);
  clock.advance(10);
  const id = left.connections()[0]?.id as string;
  network.partition([['10.9.0.1'], ['10.9.0.2']]);
  for (let seq = 1; seq <= 3; seq += 1) leftT.send(id, { v: 1, t: 'ping', seq, message: `during the cut ${seq}` });
  clock.advance(60_000);
  const inbound = right.connections()[0]?.id as string;
  assert.deepEqual(right.messages(inbound), []);
  assert.deepEqual([...left.closes(id), ...right.closes(inbound)], []);
  network.heal();
  clock.advance(10);
  assert.deepEqual(right.messages(inbound).map((message) => message.t === 'ping' && message.seq), [1, 2, 3]);
});

test('a crashed transport resets its connections: the peer sees an error close, the crashed side reports nothing', async () => {
  const { clock, left, right, leftT, rightAddress } = await twoMachines();
  leftT.dial(rightAddress);
  clock.advance(10);
  leftT.crash();
  clock.advance(10);
  const inbound = right.connections()[0]?.id as string;
  assert.deepEqual(right.closes(inbound).map((cause) => cause.kind), ['error']);
  assert.deepEqual(left.records.map((record) => record.type), ['connected']);
});

test('a frame split across segments is reassembled, without holding up whole frames on other connections', async () => {
  const { clock, network, right, rightAddress } = await twoMachines();
  const split = new RawConnection(network, '10.9.0.3', simulatedIdentity(1, 'split'), rightAddress);
  const whole = new RawConnection(network, '10.9.0.4', simulatedIdentity(1, 'whole'), rightAddress);
  clock.advance(10);
  const frame = encodeFrame({ v: 1, t: 'ping', seq: 1, message: 'split in two' });
  split.write(frame.subarray(0, 7));
  whole.send({ v: 1, t: 'ping', seq: 2, message: 'whole' });
  clock.advance(10);
  split.write(frame.subarray(7));
  clock.advance(10);
  const pings = right.records.flatMap((record) => (record.type === 'message' && record.message.t === 'ping' ? [record.message.message] : []));
  assert.deepEqual(pings, ['whole', 'split in two']);
});
