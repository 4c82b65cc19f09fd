// The HTML report of a failing demo run, opened from file:// in Chromium with the network blocked:
// verdict, failed tiles, evidence visible without a click, the latency chart with its threshold lines,
// no console error. The screenshot is kept in test/artifacts/ (a CI artifact).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findBrowser } from '../../src/browser/finder.js';
import { LAUNCH_ARGS } from '../../src/browser/launch-flags.js';
import { ROOT, runCli } from '../helpers/cli.js';

test('the HTML report of a failing run reads right in a real browser, offline', { timeout: 180_000 }, async (t) => {
  const found = await findBrowser();
  if (!found.ok) return t.skip(found.message);
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-html-'));
  const report = join(dir, 'report.html');
  const run = await runCli([
    'demo',
    '--gates',
    'probes,security,load',
    '--flaws',
    'load-slow,cors-reflect-origin',
    '-r',
    `html=${report}`,
    '-r',
    `json=${dir}/run.json`,
  ]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const json = JSON.parse(readFileSync(`${dir}/run.json`, 'utf8'));
  const latencyThresholds = json.gates
    .find((g: any) => g.id === 'load')
    .checks.filter(
      (c: any) => c.id.startsWith('load.threshold') && /^\s*(p[\d.()]+|avg|max|min|med)\s*(<=|<|>=|>|==)/i.test(c.title),
    );
  assert.ok(latencyThresholds.length >= 1);

  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: found.path,
    args: LAUNCH_ARGS,
    ...(found.env ? { env: { ...process.env, ...found.env } } : {}),
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    const network: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      network.push(url);
      return route.abort();
    });
    await page.goto(`file://${report}`);
    assert.equal((await page.locator('.verdict').innerText()).trim().toLowerCase(), 'fail');
    assert.equal(await page.locator('.tile[data-gate="load"]').getAttribute('data-status'), 'fail');
    assert.equal(await page.locator('.tile[data-gate="security"]').getAttribute('data-status'), 'fail');
    // The failing check is open: its evidence is visible without a click.
    const cors = page.locator('details.check[data-id="security.cors.reflect-origin"]');
    assert.equal(await cors.getAttribute('open'), '');
    assert.ok(await cors.locator('dl.evidence').isVisible());
    assert.match(await cors.locator('dl.evidence').innerText(), /access-control-allow-origin/i);
    const chart = page.locator('figure[data-chart="load-latency"] svg');
    assert.equal(await chart.count(), 1);
    assert.equal(await chart.locator('line.threshold').count(), latencyThresholds.length);
    // The filter works: only failing checks remain visible.
    await page.selectOption('#status-filter', 'fail');
    const visible = await page
      .locator('details.check:visible')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.status));
    assert.ok(visible.length >= 2 && visible.every((s) => s === 'fail'), visible.join(','));
    await page.selectOption('#status-filter', '');
    const shots = join(ROOT, 'test', 'artifacts');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'html-report.png'), fullPage: true });
    // A phone-width screen still shows the verdict and the tiles.
    await page.setViewportSize({ width: 390, height: 800 });
    assert.ok(await page.locator('.tiles').isVisible());
    assert.deepEqual(errors, []);
    assert.deepEqual(network, []);
  } finally {
    await browser.close();
  }
});

test('a broken HTML reporter never breaks the run: the other reports are written, and the missing one is an error (exit 3)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipgate-html-'));
  // A directory where the HTML file should go makes its write fail.
  mkdirSync(join(dir, 'report.html'));
  const r = await runCli(['demo', '--gates', 'probes', '-r', `html=${dir}/report.html`, '-r', `json=${dir}/run.json`]);
  // Issue 19 item 14: a report that could not be written is shipgate's failure, not a pass.
  assert.equal(r.code, 3);
  assert.match(r.stderr, /reporter html=.* failed/);
  assert.doesNotMatch(r.stderr, /wrote html report/);
  assert.equal(JSON.parse(readFileSync(`${dir}/run.json`, 'utf8')).verdict, 'pass');
});
