// `shipgate export k6 <profile> [-o FILE]`: writes the profile's load gate as a k6 script. The script goes
// to stdout (or FILE); warnings (thresholds k6 cannot express, literal secrets) go to stderr.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { thresholdIds } from '../../checks/load/index.js';
import type { LoadConfig } from '../../checks/load/schema.js';
import { renderK6Script, secretsForExport, type EnvRef } from '../export/k6.js';
import { version } from '../paths.js';
import { interpolate } from '../profile/interpolate.js';
import { loadProfile } from '../profile/load.js';
import { UsageError } from '../runner/plan.js';

export const EXPORT_FORMATS = ['k6'] as const;

const VAR_REF = /\$\{(secret:)?([A-Za-z_][A-Za-z0-9_]*)(?:(?::-|:\?)[^}]*)?\}/g;

/**
 * Which environment variables the profile's secrets came from, so the script reads them from its own
 * environment instead of containing them: every ${secret:NAME}, and every ${NAME} whose value is part of
 * a secret (e.g. `authorization: Bearer ${TOKEN}`).
 */
export function envRefsOf(source: string, secrets: string[], env: NodeJS.ProcessEnv): EnvRef[] {
  const refs: EnvRef[] = [];
  for (const m of source.matchAll(VAR_REF)) {
    if (source[(m.index ?? 0) - 1] === '$') continue; // "$${" is a literal
    let value: string;
    try {
      value = interpolate(m[0], env).value;
    } catch {
      continue;
    }
    const secret = Boolean(m[1]) || secrets.some((s) => s.includes(value));
    if (secret && value.length >= 4 && !refs.some((r) => r.value === value)) refs.push({ value, name: m[2] });
  }
  return refs;
}

export async function exportCommand(format: string, profilePath: string, opts: { output?: string } = {}, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown export format "${format}"; formats: ${EXPORT_FORMATS.join(', ')}`);
  // Only the load section is exported: the other gates' variables may be unset.
  const loaded = await loadProfile(profilePath, env, { gates: ['load'] });
  const { profile } = loaded;
  const load = (profile.gates as Record<string, unknown>).load as LoadConfig | undefined;
  if (!load) throw new UsageError(`${profilePath}: the profile has no gates.load section, so there is no load to export`);
  const source = await readFile(profilePath, 'utf8');
  const secrets = secretsForExport(loaded.secrets, profile.target.headers);
  const result = renderK6Script({
    profileName: profile.name,
    profilePath,
    version,
    baseUrl: new URL(profile.target.baseUrl),
    targetHeaders: profile.target.headers,
    production: profile.target.production,
    requestTimeoutMs: profile.timeouts.request,
    load,
    thresholdIds,
    secrets,
    envRefs: envRefsOf(source, secrets, env),
  });
  for (const w of result.warnings) process.stderr.write(`shipgate: warning: ${w}\n`);
  if (opts.output) {
    await mkdir(dirname(opts.output), { recursive: true });
    await writeFile(opts.output, result.script);
    const untranslated = result.untranslated ? `, ${result.untranslated} not translated (see the warnings)` : '';
    process.stderr.write(`wrote ${opts.output}: ${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'}, ${result.thresholds} threshold${result.thresholds === 1 ? '' : 's'}${untranslated}\n`);
  } else process.stdout.write(result.script);
  return 0;
}
