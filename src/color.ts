// Whether to colour the console, by the conventions people set in CI and terminals:
// FORCE_COLOR=0 (or false) turns colour off and 1/2/3 (or empty, true) on, in a terminal or not, and
// wins over NO_COLOR like it does in Node.js itself; a non-empty NO_COLOR turns it off (no-color.org:
// an empty one does not); otherwise colour when stderr (where progress goes) or stdout is a terminal.

export function colorEnabled(
  env: NodeJS.ProcessEnv = process.env,
  isTTY = Boolean(process.stdout.isTTY && process.stderr.isTTY),
): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  if (env.NODE_DISABLE_COLORS || env.TERM === 'dumb') return false;
  return isTTY;
}
