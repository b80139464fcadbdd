import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { keygen } from './support/cli';
import { FAST, freePorts, type CliProcess, processesPerTest, temporaryDirectory } from './support/node-process';

const group = processesPerTest();
const dir = temporaryDirectory('rotation');
const N = 4;

interface Member {
  readonly name: string;
  readonly port: number;
  readonly key: string;
  readonly cert: string;
  id: string;
  process: CliProcess;
}

/** Every running member is connected to every other one, as each of them reports it. */
async function fullMesh(members: readonly Member[], step: string): Promise<void> {
  await Promise.all(
    members.map((member) => member.process.connectedTo(members.filter((other) => other !== member).map((other) => other.id), 20_000)),
  ).catch((error: unknown) => {
    throw new Error(`${step}: no full mesh: ${error instanceof Error ? error.message : String(error)}`);
  });
}

describe('network key rotation', () => {
  it('rolls a 4-node network to a new key one restart at a time, never losing the mesh, and then refuses the old key', async () => {
    const [oldKey, newKey] = [join(dir, 'old.key'), join(dir, 'new.key')];
    await keygen(['--network-key', oldKey]);
    await keygen(['--network-key', newKey]);
    const ports = await freePorts(N + 1);
    const members: Member[] = [];
    const start = async (member: Omit<Member, 'id' | 'process'> & Partial<Member>, keys: string[], connect: number): Promise<Member> => {
      const args = [...FAST, '--port', String(member.port), '--key', member.key, '--cert', member.cert, '--connect', `127.0.0.1:${connect}`, ...keys];
      const process = group.start(member.name, args);
      const { id } = await process.listening();
      if (member.id !== undefined) assert.equal(id, member.id, 'same key pair, same identity');
      return { ...member, id, process };
    };
    for (let i = 0; i < N; i += 1) {
      const [key, cert] = [join(dir, `n${i}.key`), join(dir, `n${i}.crt`)];
      await keygen(['--key', key, '--cert', cert]);
      members.push(await start({ name: `n${i}`, port: ports[i] as number, key, cert }, ['--network-key', oldKey], ports[0] as number));
    }
    await fullMesh(members, 'before the rotation');

    const yaml = (name: string, keys: string[]): string[] => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, `networkKey: [${keys.map((key) => JSON.stringify(key)).join(', ')}]\n`);
      return ['--config', file];
    };
    const steps: ReadonlyArray<readonly [string, (member: Member) => string[]]> = [
      ['add the new key second', () => ['--network-key', oldKey, '--network-key', newKey]],
      // The same list from a YAML file.
      ['move the new key first', (member) => yaml(`${member.name}-first`, [newKey, oldKey])],
      ['remove the old key', () => ['--network-key', newKey]],
    ];
    for (const [step, keys] of steps) {
      for (let i = 0; i < N; i += 1) {
        const member = members[i] as Member;
        const others = members.filter((other) => other !== member);
        const marks = others.map((other) => other.process.events.length);
        assert.equal((await member.process.stop('SIGTERM')).code, 0);
        // The others stay meshed among themselves while it is down...
        await fullMesh(others, `${step}, ${member.name} down`);
        const again = await start(member, keys(member), (others[0] as Member).port);
        members[i] = again;
        // ...and the restarted node joins all of them again.
        await fullMesh(members, `${step}, ${member.name} restarted`);
        others.forEach((other, k) => {
          const since = other.process.events.slice(marks[k]);
          const lost = since.filter((e) => (e.event === 'peer_disconnected' || e.event === 'peer_dead') && e.peer !== member.id);
          assert.deepEqual(lost, [], `${step}, ${member.name} restarted: ${other.name} lost another peer`);
          assert.deepEqual(since.filter((e) => e.event === 'peer_rejected'), [], `${step}, ${member.name} restarted: ${other.name} refused someone`);
        });
      }
    }

    const retired = group.start('retired', [...FAST, '--port', String(ports[N]), '--network-key', oldKey, '--connect', `127.0.0.1:${members[0]?.port}`]);
    await retired.listening();
    const first = members[0] as Member;
    const refused = await first.process.waitFor('network_key rejection', (e) => e.event === 'peer_rejected' && e.reason === 'network_key', 20_000);
    assert.equal(refused.address, '127.0.0.1');
    await retired.waitFor('its own network_key rejection', (e) => e.event === 'peer_rejected' && e.reason === 'network_key', 20_000);
    assert.equal(retired.connectedPeers().size, 0);
    for (const member of members) assert.equal(member.process.connectedPeers().size, N - 1);
  });
});
