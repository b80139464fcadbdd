import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigurationError } from '../../../src/application/configuration.error';
import { configurationError } from '../../support/configuration-error';
import { readAllowList } from '../../../src/adapters/keys/allow-list';
import { FileKeyStore } from '../../../src/adapters/keys/file-key-store';
import { generateNetworkKeyFile, readNetworkKey, writeKeyPairFiles } from '../../../src/adapters/keys/key-files';


describe('key files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'p2p-gossip-key-files-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('writeKeyPairFiles (keygen --key --cert)', () => {
    it('writes a key (0600) and certificate that the key store reads back with the same identity', async () => {
      const key = join(dir, 'node.key');
      const cert = join(dir, 'node.crt');
      const identity = await writeKeyPairFiles(key, cert);
      assert.equal(statSync(key).mode & 0o777, 0o600);
      assert.equal((await new FileKeyStore({ keyPath: key, certPath: cert }).load()).identity, identity);
    });

    it('refuses to overwrite either file and leaves no half pair', async () => {
      const key = join(dir, 'existing.key');
      const cert = join(dir, 'existing.crt');
      writeFileSync(key, 'precious');
      await assert.rejects(writeKeyPairFiles(key, cert), configurationError(`--key ${key}: already exists; refusing to overwrite`));
      assert.throws(() => statSync(cert), /ENOENT/);
      const otherKey = join(dir, 'other.key');
      writeFileSync(cert, 'precious');
      await assert.rejects(writeKeyPairFiles(otherKey, cert), configurationError(`--cert ${cert}: already exists; refusing to overwrite`));
      assert.throws(() => statSync(otherKey), /ENOENT/);
      assert.equal(readFileSync(key, 'utf8'), 'precious');
    });
  });

  describe('network key', () => {
    it('writes 32 random bytes (0600) that read back, and never overwrites', async () => {
      const path = join(dir, 'network.key');
      await generateNetworkKeyFile(path);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const key = readNetworkKey(path);
      assert.equal(key.length, 32);
      assert.match(readFileSync(path, 'utf8'), /^# .*\n[0-9a-f]{64}\n$/);
      await assert.rejects(generateNetworkKeyFile(path), configurationError(`--network-key ${path}: already exists; refusing to overwrite`));
      assert.deepEqual(readNetworkKey(path), key);
    });

    it('accepts base64 and comment lines', () => {
      const path = join(dir, 'base64.key');
      const bytes = Buffer.from('0123456789abcdef0123456789abcdef');
      writeFileSync(path, `# shared by the team\n\n  ${bytes.toString('base64')}  \n`);
      assert.deepEqual(readNetworkKey(path), bytes);
    });

    it('names --network-key and the file when the key is missing, empty or too short', () => {
      const missing = join(dir, 'absent.key');
      assert.throws(() => readNetworkKey(missing), configurationError(`--network-key ${missing}: cannot read: ENOENT: no such file or directory`));
      const empty = join(dir, 'empty.key');
      writeFileSync(empty, '# nothing here\n');
      assert.throws(() => readNetworkKey(empty), configurationError(new RegExp(`^--network-key ${empty}: expected one line`)));
      const short = join(dir, 'short.key');
      writeFileSync(short, `${'ab'.repeat(15)}\n`);
      assert.throws(() => readNetworkKey(short), configurationError(`--network-key ${short}: the key is too short (15 bytes; at least 16 needed)`));
      const garbage = join(dir, 'garbage.key');
      writeFileSync(garbage, 'not a key at all!\n');
      assert.throws(() => readNetworkKey(garbage), configurationError(/neither hex nor base64/));
    });
  });

  describe('readAllowList', () => {
    const a = 'a'.repeat(64);
    const b = '0123456789abcdef'.repeat(4);

    it('reads one identity per line, skipping comments and blank lines, normalising case', () => {
      const path = join(dir, 'allow.txt');
      writeFileSync(path, `# the team\n${a}\n\n  ${b.toUpperCase()}  # bob\r\n`);
      assert.deepEqual(readAllowList(path), new Set([a, b]));
    });

    it('names --allow, the file and the line of a bad entry', () => {
      const path = join(dir, 'bad-allow.txt');
      writeFileSync(path, `${a}\n# fine\nnot-an-identity\n`);
      assert.throws(() => readAllowList(path), configurationError(`--allow ${path} line 3: "not-an-identity" is not an identity (64 hex digits)`));
      const missing = join(dir, 'no-allow.txt');
      assert.throws(() => readAllowList(missing), configurationError(new RegExp(`^--allow ${missing}: cannot read: ENOENT`)));
    });
  });
});

describe('file errors without flags (for a library)', () => {
  it('name the option that gave the file, neutrally, and say which option it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'p2p-gossip-neutral-'));
    try {
      const missing = join(dir, 'absent.key');
      assert.throws(() => readNetworkKey(missing), (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.equal(error.message, `network key file ${missing}: cannot read: ENOENT: no such file or directory`);
        assert.deepEqual(error.sources, [{ option: 'networkKey', path: missing }]);
        return true;
      });
      const list = join(dir, 'allow.txt');
      writeFileSync(list, 'nope\n');
      assert.throws(() => readAllowList(list), (error: unknown) => {
        assert.ok(error instanceof ConfigurationError);
        assert.equal(error.message, `allowlist file ${list} line 1: "nope" is not an identity (64 hex digits)`);
        assert.equal(error.sources[0]?.option, 'allow');
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
