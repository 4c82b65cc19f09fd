// The last line of defence against orphans: when shipgate is killed with SIGKILL (or crashes hard), no exit
// hook runs and the process groups it started would live on. Each group gets a tiny guard: a sh process in
// its own session holding the read end of a pipe from shipgate. The kernel closes that pipe however
// shipgate dies; the guard then sees end-of-file, SIGTERMs the group, waits up to 5 s, and SIGKILLs what is
// left. When the group ends normally, shipgate writes "done" and the guard exits without signalling.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

// $1 is the process group id (a number shipgate passes, never profile text).
const GUARD_SCRIPT = [
  'IFS= read -r line',
  '[ "$line" = done ] && exit 0',
  'kill -TERM "-$1" 2>/dev/null || exit 0',
  'i=0',
  'while [ $i -lt 50 ] && kill -0 "-$1" 2>/dev/null; do sleep 0.1; i=$((i+1)); done',
  'kill -KILL "-$1" 2>/dev/null',
  'exit 0',
].join('\n');

export interface Guard {
  /** The group ended normally: the guard exits without signalling anything. */
  release(): void;
}

export function guardGroup(pgid: number): Guard | undefined {
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', GUARD_SCRIPT, 'shipgate-guard', String(pgid)], {
      detached: true, // its own session: a signal to shipgate's process group does not take the guard with it
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch {
    return undefined;
  }
  child.on('error', () => {});
  child.stdin?.on('error', () => {});
  // Neither the guard nor its pipe keeps shipgate alive.
  child.unref();
  (child.stdin as unknown as Socket | null)?.unref?.();
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      child.stdin?.end('done\n');
    },
  };
}
