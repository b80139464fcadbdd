import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const consumer = mkdtempSync(join(tmpdir(), 'p2p-gossip-consumer-'));

/** A host script: two nodes, one joins through the other, a greeting crosses, both stop. */
const HOST_BODY = `
  const common = { host: '127.0.0.1', port: 0, period: 0.2, heartbeatInterval: 0.2, deadAfter: 1 };
  const a = createNode(common);
  const greeted = new Promise((resolve) => a.on('ping_received', (e) => { if (e.message === 'hi') resolve(e.peer); }));
  const { advertise } = await a.start();
  const b = createNode({ ...common, connect: [advertise] });
  const joined = new Promise((resolve) => b.once('peer_connected', resolve));
  const { id } = await b.start();
  await joined;
  b.broadcast('hi');
  if ((await greeted) !== id) throw new Error('wrong sender');
  await Promise.all([a.stop(), b.stop()]);
  console.log('ok');
`;

function run(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: consumer, timeout: 30_000, encoding: 'utf8' }).trim();
}

describe('the published package, installed into another project', () => {
  before(() => {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', consumer], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
    const tarball = readdirSync(consumer).find((name) => name.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack made a tarball');
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', `./${tarball}`], { cwd: consumer, stdio: 'pipe', timeout: 180_000 });
  });
  after(() => rmSync(consumer, { recursive: true, force: true }));

  it('works with require()', () => {
    writeFileSync(join(consumer, 'host.cjs'), `const { createNode } = require('p2p-gossip');\n(async () => {${HOST_BODY}})();\n`);
    assert.equal(run('host.cjs'), 'ok');
  });

  it('installs the p2p-gossip command, which runs the bundled CLI', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const bin = join(consumer, 'node_modules', '.bin', 'p2p-gossip');
    assert.equal(execFileSync(bin, ['--version'], { cwd: consumer, timeout: 30_000, encoding: 'utf8' }), `${version}\n`);
    assert.match(execFileSync(bin, ['--help'], { cwd: consumer, timeout: 30_000, encoding: 'utf8' }), /^Usage: p2p-gossip/);
  });

  it('works with import', () => {
    writeFileSync(join(consumer, 'host.mjs'), `import { createNode } from 'p2p-gossip';\n${HOST_BODY}\n`);
    assert.equal(run('host.mjs'), 'ok');
  });

  it('ships types that a strict TypeScript consumer compiles against', () => {
    writeFileSync(join(consumer, 'host.ts'), [
      "import { createNode, NodeOptionsError, type Logger, type Member, type NodeAdapters, type NodeOptions, type Output } from 'p2p-gossip';",
      'const output: Output = { emit: (event, at) => console.log(at.toISOString(), event.event) };',
      'const logger: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };',
      "const options: NodeOptions = { port: 0, period: 0.5, logLevel: 'warn', allow: ['0'.repeat(64)] };",
      'const adapters: Partial<NodeAdapters> = { output, logger };',
      'const node = createNode(options, adapters);',
      '// @ts-expect-error: an adapter belongs in the second argument',
      'createNode({ output });',
      "node.on('peer_dead', (event) => console.log(event.silentMs, event.peer.length, event.ts));",
      'const members: Member[] = node.members();',
      "try { createNode({ period: -1 }); } catch (error) { if (error instanceof NodeOptionsError) console.log(error.problems.length, members.length); }",
      '',
    ].join('\n'));
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'node20', moduleResolution: 'nodenext', target: 'ES2022', noEmit: true, skipLibCheck: false, types: [] }, files: ['host.ts'] }));
    execFileSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumer, stdio: 'pipe', timeout: 60_000 });
  });

  it('rejects bad options with a typed error listing every problem', () => {
    writeFileSync(join(consumer, 'bad.cjs'), [
      "const { createNode, NodeOptionsError } = require('p2p-gossip');",
      "try { createNode({ period: -1, port: 70000, output: undefined }); } catch (error) {",
      "  console.log(JSON.stringify([error instanceof NodeOptionsError, error.name, error.problems])); }",
    ].join('\n'));
    const [isTyped, name, list] = JSON.parse(run('bad.cjs')) as [boolean, string, string[]];
    assert.equal(isTyped, true);
    assert.equal(name, 'NodeOptionsError');
    assert.equal(list.length, 2);
    assert.ok(list.some((p) => p.startsWith('period')) && list.some((p) => p.startsWith('port')));
  });

  it('takes adapters as the second argument and refuses bad ones with a NodeOptionsError naming them', () => {
    writeFileSync(join(consumer, 'adapters.cjs'), [
      "const { createNode, NodeOptionsError } = require('p2p-gossip');",
      'const seen = [];',
      "const named = (build) => { try { build(); return 'built'; } catch (error) { return [error instanceof NodeOptionsError, error.problems[0].split(':')[0]]; } };",
      '(async () => {',
      "  const node = createNode({ host: '127.0.0.1', port: 0 }, { output: { emit: (event) => seen.push(event.event) } });",
      '  await node.start();',
      '  await node.stop();',
      "  console.log(JSON.stringify({ seen: seen[0], bad: [named(() => createNode({ output: 'json' })), named(() => createNode({ logger: 'debug' })), named(() => createNode({}, { clock: {} }))] }));",
      '})();',
    ].join('\n'));
    const result = JSON.parse(run('adapters.cjs')) as { seen: string; bad: [boolean, string][] };
    assert.equal(result.seen, 'listening');
    assert.deepEqual(result.bad, [[true, 'output'], [true, 'logger'], [true, 'adapters.clock']]);
  });
});
