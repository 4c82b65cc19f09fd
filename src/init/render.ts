// Writes the starter profile: what init found, filled in with a comment saying how it was found; what it
// could not guess, marked TODO (commented out where a guess could do harm). Credentials are always
// ${…} references to the environment, never values. Each gate writes its own section (its init hook);
// this file writes the rest and puts the sections in order.
import { GATES } from '../gates/registry.js';
import type { Findings } from './discover.js';
import { initHooks } from './discover.js';
import type { InitSection, SummaryRow } from './hook.js';
import { commented, q } from './yaml.js';

export interface Rendered {
  text: string;
  /** One short line per TODO left in the profile, for the summary. */
  todos: string[];
  /** What init found, for the console. */
  summary: SummaryRow[];
  /** Extra "next:" lines the gates ask for. */
  next: string[];
  /** Environment variables the profile references, with stand-ins to prove it loads. */
  variables: Record<string, string>;
}

export interface RenderOptions {
  name: string;
  /** `$schema` reference for editors, relative to the profile's folder. */
  schemaRef: string;
  /** The date init ran, YYYY-MM-DD. */
  date: string;
  /** How init trusted the target's certificate (--ca, --insecure): the run must trust it the same way. */
  tls?: { ca?: string[]; insecure: boolean };
}

/** target.tls as init was told to trust the target (paths as given: they resolve where shipgate runs). */
function renderTls(tls: { ca?: string[]; insecure: boolean }): string[] {
  const lines = [
    '  # How the certificate is trusted, as init was told (--ca / --insecure): every client of a run uses it.',
    '  tls:',
  ];
  if (tls.ca?.length) lines.push(`    ca: [${tls.ca.map(q).join(', ')}]`);
  if (tls.insecure)
    lines.push('    # TODO: no certificate is checked; remove before pointing this profile at production.', '    insecure: true');
  return lines;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
}

export async function renderProfile(f: Findings, opts: RenderOptions): Promise<Rendered> {
  const out: string[] = [];
  const todos: string[] = [];
  const todo = (summary: string) => todos.push(summary);
  const target = new URL(f.baseUrl);
  const loopback = isLoopback(target.hostname);

  out.push(
    `# yaml-language-server: $schema=${opts.schemaRef}`,
    `# Starter profile for ${f.baseUrl}, written by \`shipgate init\` on ${opts.date} (${f.requests} requests: GET, OPTIONS, POST of {}).`,
    '# What init found is filled in, with how it found it; what it could not guess is marked TODO. Read it through,',
    '# then: shipgate validate <this file>, and shipgate run <this file>.',
    '# Credentials never go in this file: they come from the environment, and ${secret:…} values are redacted in every output.',
    `name: ${q(opts.name)}`,
    `description: ${q(`Starter profile for ${f.baseUrl} (shipgate init)`)}`,
    'target:',
    `  baseUrl: ${q(f.baseUrl)}`,
  );
  if (opts.tls) out.push(...renderTls(opts.tls));
  if (opts.tls?.insecure)
    todo('target.tls.insecure: no certificate is checked (every report warns); trust the CA with tls.ca instead');
  if (loopback) {
    out.push(
      '  # A loopback target. For a production target, production: true makes the load gate refuse to run without --allow-load.',
      '  production: false',
    );
  } else {
    out.push(
      '  # TODO: init cannot tell production from staging, so it assumes production: the load gate then refuses to',
      '  # run without --allow-load. Set false for a staging target.',
      '  production: true',
    );
    todo('target.production: assumed true (the load gate then refuses to run without --allow-load)');
  }
  out.push('', 'timeouts:', '  request: 10s', '  gate: 3m', '  run: 15m', '', 'gates:');

  const hooks = await initHooks();
  const ctx = { baseUrl: f.baseUrl, https: f.https, home: f.home, catchAll: f.catchAll, facts: f.facts };
  const sections = hooks.map(({ id, hook }) => ({ id, hook, section: hook.render(f.gates[id], ctx) }));
  // What init found first, then the templates it cannot fill in; registry order within each.
  const ordered: { id: string; section: InitSection }[] = [
    ...sections.filter((s) => !s.section.template),
    ...sections.filter((s) => s.section.template),
  ];
  ordered.forEach(({ section }, i) => {
    if (i > 0) out.push('');
    out.push(...section.lines);
  });
  for (const { section } of sections) todos.push(...section.todos);

  // Nothing that writes data or sends load: the non-destructive gates init switched on.
  const smoke = sections
    .filter(({ id, section }) => section.active && !GATES.find((g) => g.id === id)?.destructive)
    .map(({ id }) => id);
  const retried = sections.find(({ hook }) => hook.retriesExample !== undefined);
  out.push(
    '',
    '# `shipgate run <this file> --suite smoke` runs one suite.',
    'suites:',
    '  smoke:',
    `    gates: [${smoke.join(', ')}]`,
    commented('    nonDestructive: true', 'nothing that writes data or sends load: fit for a scheduled production check'),
    '  release: all',
    '',
    '# A gate with a failing check can run again; a check that passes only on a retry is reported as flaky.',
    ...(retried ? ['# retries:', `#   ${retried.id}: ${retried.hook.retriesExample}`] : []),
    '',
  );
  return {
    text: out.join('\n'),
    todos,
    summary: sections.flatMap(({ section }) => section.summary),
    next: sections.flatMap(({ section }) => section.next ?? []),
    variables: Object.assign({}, ...hooks.map(({ hook }) => hook.variables ?? {})),
  };
}
