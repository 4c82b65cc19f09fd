// Errors that carry their exit code, so the CLI never has to recognise an error by its name.
// Exit codes: 0 pass · 1 a gate failed · 2 bad profile or usage · 3 shipgate itself could not run.

export const EXIT_PASS = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 3;

/** Something the person running shipgate can fix (a bad profile, flag, name or file): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: number = EXIT_USAGE;
  /** Printed before the message; a message that already names its file:line:column needs none. */
  readonly prefix: string = 'shipgate: ';
}

/** The exit code an error asks for: its own, or 3 (an internal error) for anything else. */
export function exitCodeOf(err: unknown): number {
  return err instanceof UsageError ? err.exitCode : EXIT_INTERNAL;
}
