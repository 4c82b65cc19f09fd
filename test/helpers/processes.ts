// Whether a process still exists, for "no process left behind" assertions. A zombie (exited, not yet
// reaped by its new parent) counts as gone: it runs nothing and holds no port.
import { readdirSync, readFileSync } from 'node:fs';
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

// Processes on this machine, read from /proc: used to prove no browser outlives a run.

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  state: string;
}

function readProcs(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ... — comm may contain spaces and parentheses.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const [state, ppid] = stat.slice(close + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(ppid), comm, state });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Live (not zombie) Chromium processes descending from this test process. */
export function chromiumDescendants(root = process.pid): number[] {
  const procs = readProcs();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (/chrom/i.test(c.comm) && c.state !== 'Z') found.push(c.pid);
      walk(c.pid);
    }
  };
  walk(root);
  return found;
}

/** Whether a pid is still a running (non-zombie) process. */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live (not zombie) descendants of a process, e.g. a CLI run's managed target, build step or browser. */
export function descendants(root: number): { pid: number; comm: string }[] {
  const procs = readProcs();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: { pid: number; comm: string }[] = [];
  const walk = (pid: number) => {
    for (const c of children.get(pid) ?? []) {
      if (c.state !== 'Z') found.push({ pid: c.pid, comm: c.comm });
      walk(c.pid);
    }
  };
  walk(root);
  return found;
}
