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
  const secrets: string[] = [];
  const value = input.replace(PATTERN, (match, secret: string | undefined, name: string | undefined, op: string | undefined, arg: string | undefined, offset: number) => {
    if (match === '$${') return '${';
    if (!name) throw new InterpolationError(`malformed variable reference ${JSON.stringify(match)}: expected \${NAME}, \${NAME:-default} or \${NAME:?message}`, offset);
    const raw = env[name];
    let resolved: string;
    if (raw !== undefined && raw !== '') resolved = raw;
    else if (op === ':-') resolved = arg ?? '';
    else if (op === ':?') throw new InterpolationError(`\${${name}} is not set: ${arg || 'a value is required'}`, offset);
    else if (raw === '') resolved = '';
    else throw new InterpolationError(`environment variable ${name} is not set (use \${${name}:-default} for a default)`, offset);
    if (secret) secrets.push(resolved);
    return resolved;
  });
  return { value, secrets };
}
