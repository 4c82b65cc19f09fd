// `npm run docs`: regenerates docs/checks.md, schema/profile.schema.json and schema/report.schema.json from the code.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalogue, renderChecksMarkdown } from '../catalogue.js';
import { packageRoot } from '../paths.js';
import { renderProfileJsonSchema } from '../profile/json-schema.js';
import { renderReportJsonSchema } from '../report/report-schema.js';

export async function writeGeneratedDocs(root = packageRoot): Promise<string[]> {
  const files: [string, string][] = [
    [join(root, 'docs', 'checks.md'), renderChecksMarkdown(await loadCatalogue())],
    [join(root, 'schema', 'profile.schema.json'), renderProfileJsonSchema()],
    [join(root, 'schema', 'report.schema.json'), renderReportJsonSchema()],
  ];
  for (const [path, content] of files) {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, content);
  }
  return files.map(([p]) => p);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeGeneratedDocs().then((files) => process.stdout.write(files.map((f) => `wrote ${f}\n`).join('')));
}
