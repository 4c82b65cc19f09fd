// Issue 18 item 4 / issue 19 item 13: text a hostile target controls (headers, bodies, cookie names)
// reaches every report and the console inert: no markup, link, image, heading or terminal escape of its
// own survives. Markdown is rendered with a GFM parser (micromark + gfm, as GitHub renders job summaries)
// with raw HTML allowed, so an unescaped <img> would show up as one.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { runCli, type CliResult } from '../helpers/cli.js';
import { startMarkupTarget } from '../fixtures/hostile/markup-target.js';

let target: Awaited<ReturnType<typeof startMarkupTarget>>;
let dir: string;
let run: CliResult;

before(async () => {
  target = await startMarkupTarget();
  dir = mkdtempSync(join(tmpdir(), 'shipgate-inert-'));
  writeFileSync(
    join(dir, 'hostile.yaml'),
    [
      'name: hostile',
      'target:',
      `  baseUrl: ${target.url}`,
      'gates:',
      '  probes:',
      '    liveness:',
      '      path: /health',
      '      conditions: [body.status == "ok"]',
      '    readiness:',
      '      path: /ready',
      '      conditions: [body.status == "ok"]',
      '    samples: 1',
      '  security:',
      '    paths: [/]',
      '    cors:',
      '      allowedOrigins: [https://app.example.com]',
      '    errors:',
      '      apiPath: /api/missing',
      '',
    ].join('\n'),
  );
  run = await runCli(
    [
      'run',
      join(dir, 'hostile.yaml'),
      '--gates',
      'probes,security',
      '-r',
      `md=${dir}/summary.md`,
      '-r',
      `html=${dir}/report.html`,
      '-r',
      `junit=${dir}/junit.xml`,
      '-r',
      `json=${dir}/run.json`,
      '-r',
      `sarif=${dir}/findings.sarif`,
    ],
    { env: { FORCE_COLOR: '0' } },
  );
});

after(() => target.server.close());

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('the hostile run fails on the target (the payloads reached the checks)', () => {
  assert.equal(run.code, 1, run.stdout + run.stderr);
  const json = readFileSync(`${dir}/run.json`, 'utf8');
  // JSON stays data: the raw payloads are there, escaped by JSON itself.
  assert.match(json, /\\u001b\[2K/);
  assert.match(json, /<img src=https:\/\/evil.test/);
});

test('the console shows no terminal escape, carriage return or forged line from the target', () => {
  const out = run.stdout + run.stderr;
  assert.equal(CONTROL.exec(out)?.[0], undefined, 'a control character (ESC, CR…) reached the terminal');
  assert.match(out, /<U\+009B>2K/, 'the 8-bit CSI of the cookie name is shown as a visible code instead');
  assert.doesNotMatch(out, /^\s*✓ pass\s+everything/m, 'a forged pass line');
  assert.doesNotMatch(out, /^# FAKE HEADING/m);
});

test('the Markdown summary renders no image, link, HTML or heading from the target', () => {
  const md = readFileSync(`${dir}/summary.md`, 'utf8');
  assert.doesNotMatch(md, CONTROL);
  const html = micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /<a /i);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<(strong|em|b)>[^<]*(approve|bold|sid)/i);
  assert.doesNotMatch(html, /<h\d>[^<]*FAKE HEADING/);
  // The evidence is still there to read, as text.
  assert.match(html, /&lt;img src=https:\/\/evil.test/);
});

test('the HTML report has no element or attribute from the target', () => {
  const html = readFileSync(`${dir}/report.html`, 'utf8');
  assert.doesNotMatch(html, CONTROL);
  assert.doesNotMatch(html, /<img src=https:\/\/evil/);
  assert.equal(html.match(/<script/g)?.length, 1, "only the report's own script");
  assert.doesNotMatch(html, /<b>sid/);
  assert.match(html, /&lt;img src=https:\/\/evil.test/);
});

test('the JUnit report is well-formed XML with the payloads as text', async () => {
  const xml = readFileSync(`${dir}/junit.xml`, 'utf8');
  assert.doesNotMatch(xml, CONTROL);
  // libxml2's parser (xmllint-wasm), as xmllint --noout reads it.
  const parsed = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }] });
  assert.deepEqual(
    parsed.errors.map((e) => e.message),
    [],
  );
  // Outside CDATA sections (text), no element of the target's.
  assert.doesNotMatch(xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''), /<(img|script|b)\b/);
});

test('SARIF messages carry the payloads as text: no embedded link ([text](target), SARIF 2.1.0 §3.11.6) from the target', () => {
  const sarif = JSON.parse(readFileSync(`${dir}/findings.sarif`, 'utf8'));
  const texts: string[] = sarif.runs[0].results.map((r: { message: { text: string } }) => r.message.text);
  assert.ok(
    texts.some((t) => t.includes('\\[approve release\\](https://evil.test/a)')),
    'the hostile header reached a finding, escaped',
  );
  for (const t of texts) {
    assert.doesNotMatch(t, CONTROL);
    assert.doesNotMatch(t, /(?<!\\)\[[^\]]*(?<!\\)\]\(/, `an embedded link survived: ${t}`);
  }
});
