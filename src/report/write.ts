import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** mkdir -p, then write. */
export async function writeReportFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
