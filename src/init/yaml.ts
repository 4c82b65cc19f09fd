// Small YAML writing helpers for the starter profile's sections (the core's and the gates' init hooks).

const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i;

/** A YAML scalar: plain when that is unambiguous, else double-quoted (JSON strings are valid YAML). */
export function q(s: string): string {
  if (/^[A-Za-z_/][A-Za-z0-9_/.-]*$/.test(s) && !RESERVED.test(s)) return s;
  // 'body.status == "ok"' reads better than "body.status == \"ok\"".
  if (s.includes('"') && !s.includes("'") && !/[\u0000-\u001f]/.test(s)) return `'${s}'`;
  return JSON.stringify(s);
}

/** A line with a comment aligned at a column, so a block of them reads as a table. */
export function commented(line: string, comment: string, column = 40): string {
  return `${line}${' '.repeat(Math.max(1, column - line.length))}# ${comment}`;
}
