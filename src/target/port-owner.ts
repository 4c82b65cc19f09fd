// Who listens on a TCP port of this machine: before a managed target starts, its port must be free (else a
// stale server would be verified instead of the app); once it answers, the listener must belong to the
// process group shipgate started. Ownership is read from /proc (Linux); elsewhere it cannot be told and
// only the free-port check and the liveness of the started process apply.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';

/** Loopback hosts: their ports are this machine's, so their listener can be looked up. */
export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h) || h === '0.0.0.0' || h === '::';
}

export function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** True when something accepts TCP connections at the URL's host and port right now. */
export function portAnswers(url: URL, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: portOf(url) });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Socket inodes listening on the port (IPv4 and IPv6), or undefined where /proc/net cannot be read. */
function listeningInodes(port: number): Set<string> | undefined {
  const inodes = new Set<string>();
  let readAny = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    readAny = true;
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A') continue; // 0A: LISTEN
      if (parseInt(f[1].split(':').pop() ?? '', 16) === port) inodes.add(f[9]);
    }
  }
  return readAny ? inodes : undefined;
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
}

/** The process group of a pid (field 5 of /proc/<pid>/stat, after the parenthesised command name). */
function groupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

function holdsSocket(pid: number, inodes: Set<string>): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        return m !== null && inodes.has(m[1]);
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

export interface PortOwner {
  pid: number;
  command?: string;
}

/** The processes (this user can see) that listen on the port; undefined when it cannot be told. */
export function listenersOf(port: number): PortOwner[] | undefined {
  const inodes = listeningInodes(port);
  if (!inodes) return undefined;
  if (inodes.size === 0) return [];
  return allPids()
    .filter((pid) => holdsSocket(pid, inodes))
    .map((pid) => ({ pid, command: commandOf(pid) }));
}

/**
 * Whether the port's listener belongs to the process group: true or false when /proc tells, undefined when
 * it cannot be told (not Linux, or the listener is hidden from this user).
 */
export function listenedByGroup(port: number, groupPid: number): boolean | undefined {
  const inodes = listeningInodes(port);
  if (!inodes || inodes.size === 0) return undefined;
  const members = allPids().filter((pid) => groupOf(pid) === groupPid);
  if (members.some((pid) => holdsSocket(pid, inodes))) return true;
  // A listener we can see outside the group is someone else's; one we cannot see proves nothing.
  return allPids().some((pid) => !members.includes(pid) && holdsSocket(pid, inodes)) ? false : undefined;
}

function commandOf(pid: number): string | undefined {
  try {
    // The executable's name only: a command line may hold credentials.
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function describeOwners(owners: PortOwner[] | undefined): string {
  if (!owners?.length) return 'another process';
  return owners.map((o) => `pid ${o.pid}${o.command ? ` (${o.command})` : ''}`).join(', ');
}
