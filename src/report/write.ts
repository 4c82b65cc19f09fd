import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { STDOUT } from './report-paths.js';

/** mkdir -p, then write; "-" writes to standard output (the console then prints to stderr). */
export async function writeReportFile(path: string, content: string): Promise<void> {
  if (path === STDOUT) {
    await new Promise<void>((resolve, reject) => process.stdout.write(content, (err) => (err ? reject(err) : resolve())));
    return;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
