// Where the `# yaml-language-server: $schema=…` line of a new profile points. The profile gets committed,
// so the path must resolve on a teammate's machine too, not only in the npx cache it was written from.
import { join, relative, sep } from 'node:path';
import { nearestPackageDir } from '../paths.js';

export interface SchemaRef {
  /** Relative to the profile's folder, with forward slashes. */
  ref: string;
  /** Set when the path resolves only once shipgate is installed in the project. */
  note?: string;
}

/**
 * - shipgate installed in the project (under an ancestor's node_modules), or the profile written inside
 *   shipgate's own checkout: the path to the schema it ships.
 * - Otherwise (npx, a global install) inside a Node.js project: where the schema will be once shipgate is
 *   a devDependency of that project, with a note saying so.
 * - Otherwise: the schema it ships, wherever that is.
 */
export function schemaRef(profileDir: string, packageRoot: string, packageName: string): SchemaRef {
  const shipped = join(packageRoot, 'schema', 'profile.schema.json');
  const rel = (to: string) => relative(profileDir, to).split(sep).join('/');
  const project = nearestPackageDir(profileDir);
  const installedHere = project !== undefined && (packageRoot + sep).startsWith(join(project, 'node_modules') + sep);
  if (project === undefined || installedHere || project === packageRoot) return { ref: rel(shipped) };
  return {
    ref: rel(join(project, 'node_modules', packageName, 'schema', 'profile.schema.json')),
    note: `the $schema line resolves once ${packageName} is a devDependency of ${project} (npm install --save-dev ${packageName})`,
  };
}
