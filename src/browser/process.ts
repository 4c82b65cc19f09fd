// A safety net under Playwright: a browser that hangs at launch (or will not close) is left running by
// Playwright until it exits on its own. shipgate notes which child processes its launch started (Linux
// /proc; elsewhere this does nothing) and kills their process group when Playwright gives up.
import { readdirSync, readFileSync } from 'node:fs';

/** Direct child processes of this process: pid → their command line. */
export function childProcesses(): Map<number, string> {
  const out = new Map<number, string>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      out.set(Number(name), readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * Children started since `before` that are a browser Playwright launched: its command line carries
 * `--remote-debugging-pipe` and a Playwright profile folder (a wrapper script keeps them too), so
 * processes other gates start meanwhile are never touched.
 */
export function launchedBrowsers(before: Map<number, string>): number[] {
  return [...childProcesses()]
    .filter(
      ([pid, cmd]) =>
        !before.has(pid) && cmd.includes('--remote-debugging-pipe') && cmd.includes('playwright_chromiumdev_profile-'),
    )
    .map(([pid]) => pid);
}

/** Kills a process and its group (Playwright starts the browser as a group leader). */
export function killTree(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone, or not a group leader
    }
  }
}
