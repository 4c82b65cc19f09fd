// The JUnit XML a report must be: the Jenkins xunit plugin's JUnit schema (test/fixtures/junit/junit-10.xsd,
// vendored), checked with libxml2's validator built to WebAssembly (xmllint-wasm), so a machine with only
// Node runs it the way `xmllint --schema` would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { ROOT } from './cli.js';

const SCHEMA = [{ fileName: 'junit-10.xsd', contents: readFileSync(join(ROOT, 'test/fixtures/junit/junit-10.xsd'), 'utf8') }];

/** libxml2's messages for the file against the JUnit schema; none when it validates. */
export async function junitSchemaErrors(file: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: file, contents: readFileSync(file, 'utf8') }], schema: SCHEMA });
  return r.valid ? [] : r.errors.map((e) => e.message);
}
