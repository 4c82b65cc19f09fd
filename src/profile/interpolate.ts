// ${VAR}, ${VAR:-default}, ${VAR:?message}, and the same with a "secret:" prefix (${secret:API_TOKEN}),
// which marks the resolved value for redaction. "$${" is a literal "${".

export interface Interpolated {
  value: string;
  secrets: string[];
}

export class InterpolationError extends Error {
  constructor(
    message: string,
    /** Offset of the failing ${...} inside the source string. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const PATTERN = /\$\$\{|\$\{(secret:)?([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}|\$\{[^}]*\}?/g;

export function interpolate(input: string, env: NodeJS.ProcessEnv): Interpolated {
  return substitute(input, env, (_name, resolved) => resolved);
}

export interface ShellInterpolated extends Interpolated {
  /** Environment variables that carry the values the command refers to. */
  vars: Record<string, string>;
}

/** Prefix of the environment variables that carry interpolated values into a shell command. */
export const SHELL_VAR_PREFIX = 'SHIPGATE_VAR_';

/**
 * For a command run through a shell: a value is never pasted into the command text, where it could become
 * shell syntax. Each ${NAME} becomes a reference ${SHIPGATE_VAR_NAME} to an environment variable that holds
 * the value, so the shell expands it as data (as one word inside double quotes).
 */
export function interpolateForShell(input: string, env: NodeJS.ProcessEnv): ShellInterpolated {
  const vars: Record<string, string> = {};
  const { value, secrets } = substitute(input, env, (name, resolved) => {
    // The same name with another value (a different default) gets a variable of its own.
    let carrier = `${SHELL_VAR_PREFIX}${name}`;
    for (let n = 2; vars[carrier] !== undefined && vars[carrier] !== resolved; n++) carrier = `${SHELL_VAR_PREFIX}${name}_${n}`;
    vars[carrier] = resolved;
    return `\${${carrier}}`;
  });
  return { value, secrets, vars };
}

/** The one walk over ${...} references: resolves each, collects secrets, and lets `place` say what stands in the text. */
function substitute(input: string, env: NodeJS.ProcessEnv, place: (name: string, resolved: string) => string): Interpolated {
  const secrets: string[] = [];
  const value = input.replace(
    PATTERN,
    (
      match,
      secret: string | undefined,
      name: string | undefined,
      op: string | undefined,
      arg: string | undefined,
      offset: number,
    ) => {
      if (match === '$${') return '${';
      const resolved = resolve(match, name, op, arg, offset, env);
      if (secret) secrets.push(resolved);
      return place(name!, resolved);
    },
  );
  return { value, secrets };
}

function resolve(
  match: string,
  name: string | undefined,
  op: string | undefined,
  arg: string | undefined,
  offset: number,
  env: NodeJS.ProcessEnv,
): string {
  if (!name)
    throw new InterpolationError(
      `malformed variable reference ${JSON.stringify(match)}: expected \${NAME}, \${NAME:-default} or \${NAME:?message}`,
      offset,
    );
  const raw = env[name];
  if (raw !== undefined && raw !== '') return raw;
  if (op === ':-') return arg ?? '';
  if (op === ':?') throw new InterpolationError(`\${${name}} is not set: ${arg || 'a value is required'}`, offset);
  if (raw === '') return '';
  throw new InterpolationError(`environment variable ${name} is not set (use \${${name}:-default} for a default)`, offset);
}
