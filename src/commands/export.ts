// `shipgate export <format> <profile> [-o FILE]`: writes a gate's section of the profile in another tool's
// format (the gate's manifest lists its exporters: the load gate's k6). The text goes to stdout (or FILE);
// warnings (what the format cannot express, literal secrets) go to stderr.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { GateExporter } from '../gates/contract.js';
import { GATES } from '../gates/registry.js';
import { version } from '../paths.js';
import { interpolate } from '../profile/interpolate.js';
import { loadProfile } from '../profile/load.js';
import { UsageError } from '../runner/plan.js';

/** Every format some gate exports to (from the manifests). */
export const EXPORT_FORMATS = GATES.flatMap((g) => Object.keys(g.exports ?? {}));

/** Standard request headers that carry no credential; every other target header is treated as secret. */
const PLAIN_HEADERS = new Set([
  'user-agent',
  'accept',
  'accept-language',
  'accept-encoding',
  'content-type',
  'cache-control',
  'pragma',
  'x-requested-with',
]);

/**
 * What must not be written into an export: the profile's secrets, and — as the runner redacts every
 * target header value — each target header's value unless the header is a standard, credential-free one
 * (a `X-Preview-Bypass: abc` written literally would otherwise end up in a file people commit).
 */
export function secretsForExport(profileSecrets: string[], targetHeaders: Record<string, string>): string[] {
  const fromHeaders = Object.entries(targetHeaders)
    .filter(([k, v]) => !PLAIN_HEADERS.has(k.toLowerCase()) && v.length >= 4)
    .map(([, v]) => v);
  return [...new Set([...profileSecrets, ...fromHeaders])];
}

const VAR_REF = /\$\{(secret:)?([A-Za-z_][A-Za-z0-9_]*)(?:(?::-|:\?)[^}]*)?\}/g;

/**
 * Which environment variables the profile's secrets came from, so the script reads them from its own
 * environment instead of containing them: every ${secret:NAME}, and every ${NAME} whose value is part of
 * a secret (e.g. `authorization: Bearer ${TOKEN}`).
 */
export function envRefsOf(source: string, secrets: string[], env: NodeJS.ProcessEnv): { value: string; name: string }[] {
  const refs: { value: string; name: string }[] = [];
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

export async function exportCommand(
  format: string,
  profilePath: string,
  opts: { output?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const gate = GATES.find((g) => g.exports?.[format]);
  if (!gate) throw new UsageError(`unknown export format "${format}"; formats: ${EXPORT_FORMATS.join(', ')}`);
  // Only the exported gate's section is interpolated: the other gates' variables may be unset.
  const loaded = await loadProfile(profilePath, env, { gates: [gate.id] });
  const { profile } = loaded;
  const config = (profile.gates as Record<string, unknown>)[gate.id];
  if (!config)
    throw new UsageError(`${profilePath}: the profile has no gates.${gate.id} section, so there is no ${gate.id} to export`);
  const source = await readFile(profilePath, 'utf8');
  const secrets = secretsForExport(loaded.secrets, profile.target.headers);
  const exporter: GateExporter<unknown> = await gate.exports![format]();
  const result = exporter({ profile, profilePath, config, version, secrets, envRefs: envRefsOf(source, secrets, env) });
  for (const w of result.warnings) process.stderr.write(`shipgate: warning: ${w}\n`);
  if (opts.output) {
    await mkdir(dirname(opts.output), { recursive: true });
    await writeFile(opts.output, result.text);
    process.stderr.write(`wrote ${opts.output}: ${result.summary}\n`);
  } else process.stdout.write(result.text);
  return 0;
}
