// .env.example hygiene: the file exists, holds placeholders rather than real secrets (known token formats,
// private keys, credentials in URLs, high-entropy strings), and no real .env is committed to git.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { GateContext } from '../../src/gates/contract.js';
import { envExample } from './catalogue.js';

const run = promisify(execFile);

const EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template'];

/** Known token formats: [what it is, pattern]. */
const TOKEN_FORMATS: [string, RegExp][] = [
  ['an AWS access key id', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a GitHub token', /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/],
  ['a GitLab token', /\bglpat-[A-Za-z0-9_-]{20,}/],
  ['a Slack token', /\bxox[abprs]-[A-Za-z0-9-]{10,}/],
  ['a Stripe live key', /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}/],
  ['an OpenAI-style API key', /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/],
  ['a Google API key', /\bAIza[0-9A-Za-z_-]{35}\b/],
  ['an npm token', /\bnpm_[A-Za-z0-9]{36}\b/],
  ['a SendGrid key', /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/],
  ['a JSON Web Token', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
];

const PLACEHOLDER =
  /^(?:|<.*>|\$\{.*\}|\[.*\]|x{3,}.*|.*x{4,}.*|\*+|\.{3}|…|.*(?:change[-_ ]?me|changeit|your[-_ ]|replace[-_ ]?me|example|placeholder|dummy|fake|sample|todo|fixme|not[-_ ]?a[-_ ]?secret|secret[-_]?here).*|true|false|null|none|password|passwd|pass|secret|postgres|mysql|root|admin|user|test|demo|dev|local|\d+)$/i;

export interface SecretFinding {
  line: number;
  key: string;
  why: string;
  value: string;
}

/** Bits of entropy per character (Shannon). */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function unquote(v: string): string {
  const t = v.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t.replace(/\s+#.*$/, ''); // an unquoted value ends at a comment
}

/** Why a value looks like a real secret, or undefined. */
export function secretReason(value: string): string | undefined {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return 'a private key';
  for (const [what, re] of TOKEN_FORMATS) if (re.test(value)) return `looks like ${what}`;
  const creds = /^[a-z][a-z0-9+.-]*:\/\/[^:/\s@]*:([^@\s]+)@/i.exec(value);
  if (creds && !PLACEHOLDER.test(creds[1]) && !/^\$\{/.test(creds[1])) return 'a URL with an embedded password';
  if (PLACEHOLDER.test(value) || /\s/.test(value) || value.includes('://') || /^\.{0,2}\//.test(value)) return undefined;
  const hex = /^[0-9a-f]+$/i.test(value);
  if (hex && value.length >= 32 && entropy(value) >= 3) return `a ${value.length}-character hex string (high entropy)`;
  if (!hex && value.length >= 20 && /[A-Za-z]/.test(value) && /\d/.test(value) && entropy(value) >= 3.5)
    return `a ${value.length}-character random-looking string (entropy ${entropy(value).toFixed(1)} bits/char)`;
  return undefined;
}

export function findSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/.exec(raw);
    if (!m || raw.trim().startsWith('#')) {
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(raw))
        findings.push({ line: i + 1, key: '(multi-line value)', why: 'a private key', value: raw.trim() });
      return;
    }
    const value = unquote(m[2]);
    const why = secretReason(value);
    if (why) findings.push({ line: i + 1, key: m[1], why, value });
  });
  return findings;
}

/** Tracked .env files that hold real configuration: .env and .env*.local (not .env.example & co). */
export async function committedEnvFiles(repo: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await run('git', ['-C', repo, 'ls-files', '-z', '--', '*.env', '*.env.*'], {
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.split('\0').filter((p) => p && /^\.env$|^\.env\..*local$/.test(basename(p)));
  } catch {
    return undefined; // not a git repository, or no git
  }
}

function masked(v: string): string {
  return v.length <= 6 ? '***' : `${v.slice(0, 3)}…(${v.length} characters)`;
}

export async function checkEnvExample(ctx: GateContext, repoPath: string): Promise<void> {
  const started = performance.now();
  const repo = resolve(repoPath);
  const name = EXAMPLE_NAMES.find((n) => existsSync(join(repo, n)));
  const problems: string[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = { repo };
  let findings: SecretFinding[] = [];
  if (!name) problems.push(`no .env.example in ${repo} (it documents the variables the app needs, with placeholder values)`);
  else {
    findings = findSecrets(await readFile(join(repo, name), 'utf8'));
    for (const f of findings) ctx.redactor.add(f.value);
    if (findings.length)
      problems.push(
        `${name} holds ${findings.length} value${findings.length === 1 ? '' : 's'} that look${findings.length === 1 ? 's' : ''} like real secrets: ${findings.map((f) => `${f.key} (line ${f.line})`).join(', ')}`,
      );
    details.file = join(repo, name);
  }
  const committed = await committedEnvFiles(repo);
  if (committed === undefined) {
    if (existsSync(join(repo, '.env')))
      notes.push('a .env file is present and this is not a git repository, so whether it is committed could not be checked');
  } else if (committed.length) problems.push(`committed to git: ${committed.join(', ')}`);
  const evidence = {
    details,
    ...(findings.length
      ? { body: findings.map((f) => `${name}:${f.line} ${f.key}=${masked(f.value)} — ${f.why}`).join('\n') }
      : {}),
  };
  const durationMs = performance.now() - started;
  if (problems.length) ctx.record(envExample.fail({ message: problems.join('; '), evidence, durationMs }));
  else if (notes.length)
    ctx.record(envExample.warn({ message: `${name}: placeholders only; but ${notes.join('; ')}`, evidence, durationMs }));
  else
    ctx.record(
      envExample.pass({ message: `${name}: placeholders only${committed ? '; no .env committed' : ''}`, evidence, durationMs }),
    );
}
