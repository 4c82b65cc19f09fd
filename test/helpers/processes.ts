// Whether a process still exists, for "no process left behind" assertions. A zombie (exited, not yet
// reaped by its new parent) counts as gone: it runs nothing and holds no port.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw err;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Waits (generously: a hang guard, not a timing assertion) until the process is gone. */
export async function waitGone(pid: number, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (isGone(pid)) return true;
    await sleep(25);
  }
  return isGone(pid);
}

/** Pids printed as "name=123" in a text. */
export function pidsIn(text: string, name: string): number[] {
  return [...text.matchAll(new RegExp(`${name}=(\\d+)`, 'g'))].map((m) => Number(m[1]));
}
