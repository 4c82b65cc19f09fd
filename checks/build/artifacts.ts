// Artifact rules: the files a build must produce, and a budget for their total size.
import type { GateContext } from '../../src/gates/contract.js';
import { artifacts as artifactCheck } from './catalogue.js';
import { findFiles } from './glob.js';
import { formatSize, type ArtifactRule } from './schema.js';

export async function checkArtifacts(ctx: GateContext, rules: ArtifactRule[]): Promise<void> {
  for (const rule of rules) {
    const started = performance.now();
    const title = `Artifacts ${rule.path.pattern} exist within budget`;
    let files;
    try {
      files = await findFiles(rule.path);
    } catch (err) {
      ctx.record(
        artifactCheck.error({
          title,
          message: `${rule.path.pattern}: ${(err as Error).message}`,
          durationMs: performance.now() - started,
        }),
      );
      continue;
    }
    const total = files.reduce((a, f) => a + f.bytes, 0);
    const largest = [...files]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 10)
      .map((f) => `${formatSize(f.bytes).padStart(9)}  ${f.path}`);
    const evidence = {
      details: { pattern: rule.path.pattern, searched: rule.path.base, files: files.length, total: formatSize(total) },
      ...(largest.length ? { body: `largest files:\n${largest.join('\n')}` } : {}),
    };
    const metrics = { files: files.length, bytes: total };
    const durationMs = performance.now() - started;
    if (files.length < rule.minFiles) {
      const found = files.length === 0 ? 'no file matches' : `only ${files.length} file${files.length === 1 ? '' : 's'} match`;
      ctx.record(
        artifactCheck.fail({
          title,
          message: `${rule.path.pattern}: ${found}, expected at least ${rule.minFiles} (searched ${rule.path.base})`,
          evidence,
          metrics,
          durationMs,
        }),
      );
    } else if (rule.maxSize !== undefined && total > rule.maxSize) {
      ctx.record(
        artifactCheck.fail({
          title,
          message: `${rule.path.pattern}: ${files.length} files, ${formatSize(total)} total > budget ${formatSize(rule.maxSize)}`,
          evidence,
          metrics,
          durationMs,
        }),
      );
    } else {
      const budget = rule.maxSize !== undefined ? ` (budget ${formatSize(rule.maxSize)})` : '';
      ctx.record(
        artifactCheck.pass({
          title,
          message: `${rule.path.pattern}: ${files.length} file${files.length === 1 ? '' : 's'}, ${formatSize(total)} total${budget}`,
          evidence,
          metrics,
          durationMs,
        }),
      );
    }
  }
}
