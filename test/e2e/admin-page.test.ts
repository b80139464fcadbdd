import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startAdminNode } from './support/admin';
import { ESTABLISH_MS, processesPerTest } from './support/node-process';

/** Debian's chromium; .ci/run installs it when missing. Never a downloaded browser. */
const CHROMIUM = '/usr/bin/chromium';

const group = processesPerTest();
let browser: Browser;
const profile = mkdtempSync(join(tmpdir(), 'p2p-gossip-chromium-'));

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does)`);
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

describe('the status page, in a real headless browser', () => {
  it("shows a 3-node mesh, then a stopped node's new state without a reload", async () => {
    const a = await startAdminNode(group, 'a', ['--tag', 'role=seed']);
    const b = await startAdminNode(group, 'b', ['--connect', a.peerAddress, '--tag', 'role=db', '--tag', 'zone=eu-1']);
    const c = await startAdminNode(group, 'c', ['--connect', a.peerAddress]);
    await a.process.connectedTo([b.id, c.id]);
    const page = await browser.newPage();
    try {
      await page.goto(`${a.url}/`, { waitUntil: 'domcontentloaded' });
      const stateOf = (id: string): string => `document.querySelector('tr[data-id="${id}"] .state')?.textContent`;
      await page.waitForFunction(`${stateOf(b.id)} === 'connected' && ${stateOf(c.id)} === 'connected'`, { timeout: 15_000 });
      assert.equal(await page.$eval('#self-id', (element) => element.textContent), a.id, 'this node, by its identity');
      assert.equal(await page.$eval('#self-tags', (element) => element.textContent), 'role=seed');
      const rows = await page.$$eval('#members tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      assert.equal(rows.length, 2, 'both peers: with this node, all three members of the mesh');
      const addresses = rows.map((row) => row[1]).sort();
      assert.deepEqual(addresses, [b.peerAddress, c.peerAddress].sort());
      await page.waitForFunction(`document.querySelector('tr[data-id="${b.id}"] .ping')?.textContent.includes('ping')`, { timeout: 15_000 });
      // The tags and round trip columns are filled for peers: tags from the hello, round trips as they are measured.
      const textOf = (id: string, column: string): string => `document.querySelector('tr[data-id="${id}"] .${column}')?.textContent`;
      assert.equal(await page.evaluate(textOf(b.id, 'tags')), 'role=db zone=eu-1');
      assert.equal(await page.evaluate(textOf(c.id, 'tags')), '');
      await page.waitForFunction(`/^\\d+\\.\\d ms$/.test(${textOf(b.id, 'rtt')}) && /^\\d+\\.\\d ms$/.test(${textOf(c.id, 'rtt')})`, { timeout: 15_000 });
      // A reload would start a new document and lose this mark.
      await page.evaluate('window.notReloaded = true');
      // An established peer that leaves stays a member, `left` (a stranger that leaves is forgotten).
      await a.process.connectedFor(c.id, ESTABLISH_MS);
      await c.process.stop('SIGTERM');
      await page.waitForFunction(`${stateOf(c.id)} === 'left'`, { timeout: 15_000 });
      assert.equal(await page.evaluate(textOf(c.id, 'rtt')), '–', 'no round trip to a member that left');
      assert.equal(await page.evaluate('window.notReloaded'), true, 'no reload');
      assert.equal(await page.evaluate(stateOf(b.id)), 'connected');
    } finally {
      await page.close();
    }
  });
});
