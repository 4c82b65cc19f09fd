// The profile fields run through a shell: target.start.command and the commands a gate's manifest lists
// (shellCommands; the build gate's steps[].run). Their ${VAR}
// references are interpolated with interpolateForShell (the value travels in an environment variable, never
// in the command text); the carrier variables are added to the env: map next to the command.
import { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { GATES } from '../gates/registry.js';

/** A command scalar and the path of the env map its carrier variables go to. */
export type ShellCommandNodes = Map<Scalar, (string | number)[]>;

export function shellCommandNodes(doc: Document): ShellCommandNodes {
  const found: ShellCommandNodes = new Map();
  const command = doc.getIn(['target', 'start', 'command'], true);
  if (isScalar(command)) found.set(command, ['target', 'start', 'env']);
  for (const gate of GATES) {
    for (const { list, command: field, env } of gate.shellCommands ?? []) {
      const items = doc.getIn(['gates', gate.id, list], true);
      if (!isSeq(items)) continue;
      items.items.forEach((item, i) => {
        const run = isMap(item) ? item.get(field, true) : undefined;
        if (isScalar(run)) found.set(run, ['gates', gate.id, list, i, env]);
      });
    }
  }
  return found;
}

export interface ShellVars {
  envPath: (string | number)[];
  vars: Record<string, string>;
}

/** Adds the carrier variables to each command's env: map (created when absent) in the plain data. */
export function addShellVars(data: unknown, all: ShellVars[]): unknown {
  for (const { envPath, vars } of all) {
    if (Object.keys(vars).length === 0) continue;
    let parent: any = data;
    for (const key of envPath.slice(0, -1)) parent = parent?.[key];
    if (!parent || typeof parent !== 'object') continue;
    const last = envPath[envPath.length - 1];
    const env = parent[last];
    if (env === undefined || env === null) parent[last] = { ...vars };
    else if (typeof env === 'object' && !Array.isArray(env)) parent[last] = { ...env, ...vars };
    // Anything else is a profile error the schema reports.
  }
  return data;
}
