// The security.exposure.* checks: files and debug surfaces a production deployment must not serve.
import { defineCheck } from '../../src/check.js';

const SIGNATURES =
  'A path counts only when its answer is 2xx, carries the content signature of the real thing (dotenv lines, a [core] section, ref: refs/, a source map with mappings, expvar JSON, …) and differs from the answer to a random path beside it, so a single-page app that serves its shell for every path passes.';

export const dotenv = defineCheck({
  id: 'security.exposure.dotenv',
  title: 'No dotenv file is served',
  severity: 'critical',
  rationale: `A served .env hands out the live secrets (signing keys, database URLs with passwords, API keys) to anyone who asks for /.env — bots do, within hours of a deployment. ${SIGNATURES}`,
  remediation:
    'Never put .env files under the web root or in the image\'s static folder; serve only a build output folder (express.static("dist"), not "."). nginx: location ~ /\\.(?!well-known) { deny all; }. Then rotate every secret the file held: it must be assumed stolen.',
  tunedBy: ['gates.security.exposure.allow'],
});

export const vcs = defineCheck({
  id: 'security.exposure.vcs',
  title: 'No version-control metadata is served (.git, .svn, .hg)',
  severity: 'high',
  rationale: `With /.git/HEAD and /.git/config readable, tools rebuild the whole repository — source, history, and every secret ever committed. ${SIGNATURES}`,
  remediation:
    'Deploy a build artifact, not a checkout; if the checkout must be the web root, deny dot-paths: nginx location ~ /\\.(?!well-known) { deny all; }, Apache RedirectMatch 404 /\\.git. Express: serve a dedicated public folder (express.static with dotfiles: "deny" is the default for dotfiles, keep it).',
  tunedBy: ['gates.security.exposure.allow'],
});

export const sourcemap = defineCheck({
  id: 'security.exposure.sourcemap',
  title: 'Scripts do not ship their source maps',
  severity: 'medium',
  rationale:
    'A source map with sourcesContent hands out the original, commented source of the front end (often with internal URLs and keys); one without it still reveals file names and structure. shipgate follows the SourceMap header and sourceMappingURL of the scripts the audited pages load, and also tries <script>.map: sourcesContent fails, a map without it warns.',
  remediation:
    'Build production bundles without public maps (Vite build.sourcemap: false or "hidden" with the .map files not deployed; webpack devtool: false or "hidden-source-map"), or upload maps to your error tracker instead of serving them.',
  tunedBy: ['gates.security.paths', 'gates.security.exposure.maxScripts', 'gates.security.exposure.allow'],
});

export const debug = defineCheck({
  id: 'security.exposure.debug',
  title: 'No debug or admin endpoint is served',
  severity: 'high',
  rationale: `Debug surfaces (Go's /debug/vars and /debug/pprof/, Spring's /actuator/env and /actuator/heapdump, Apache's /server-status, phpinfo(), a stray .DS_Store) dump configuration, memory and secrets. ${SIGNATURES} Paths in exposure.extraPaths count when they answer 2xx unlike a random path.`,
  remediation:
    'Mount debug handlers on an internal port or behind authentication only (Go: a separate http.Server for pprof/expvar; Spring: management.server.port and management.endpoints.web.exposure.include=health; Apache: Require ip for server-status); delete phpinfo files and .DS_Store from the deploy.',
  tunedBy: ['gates.security.exposure.extraPaths', 'gates.security.exposure.allow'],
});

export const backup = defineCheck({
  id: 'security.exposure.backup',
  title: 'No backup archive or database dump is served',
  severity: 'high',
  rationale: `Archives and SQL dumps left in the web root (backup.zip, dump.sql) hold the source or the data itself. ${SIGNATURES}`,
  remediation: 'Keep backups out of the web root and the image; deploy only the build output folder.',
  tunedBy: ['gates.security.exposure.allow'],
});

export const exposureCatalogue = [dotenv, vcs, sourcemap, debug, backup];
