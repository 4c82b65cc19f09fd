// A command run through a shell in its own process group: output captured as a bounded tail, the whole
// group killable at once (the shell, the app and anything they started), and nothing outliving shipgate —
// a process 'exit' hook SIGKILLs every group still alive, even on a second Ctrl-C that exits at once, and a
// guard process (guard.ts) stops the group when shipgate dies without running any hook (kill -9).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { guardGroup, type Guard } from './guard.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (bad cwd, no shell). */
  error?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** The last bytes a process printed (stdout and stderr interleaved as they arrived), line by line. */
export class OutputTail {
  private kept = '';
  private partial = '';
  private readonly listeners = new Set<(line: string) => void>();

  constructor(private readonly maxChars = 64 * 1024) {}

  push(chunk: string): void {
    const text = chunk.replace(ANSI, '');
    this.kept = (this.kept + text).slice(-this.maxChars);
    const lines = (this.partial + text).split(/\r?\n/);
    // A line that never ends (20 MB without a newline) keeps only its end: memory and the work per chunk stay bounded.
    this.partial = (lines.pop() ?? '').slice(-this.maxChars);
    for (const line of lines) for (const fn of this.listeners) fn(line);
  }

  /** Called for every complete line from now on; returns an unsubscribe function. */
  onLine(fn: (line: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Complete lines and the current partial line seen so far (within the kept window). */
  lines(): string[] {
    return this.kept.split(/\r?\n/).filter((l, i, all) => l !== '' || i < all.length - 1);
  }

  text(): string {
    return this.kept;
  }

  /** The last lines, at most maxChars long, for evidence; `redact` runs before the cut so no secret is cut in half. */
  tail(maxLines = 40, maxChars = 4000, redact: (text: string) => string = (t) => t): string {
    let lines = redact(this.kept).replace(/\s+$/, '').split(/\r?\n/);
    const dropped = Math.max(0, lines.length - maxLines);
    lines = lines.slice(-maxLines);
    let out = lines.join('\n');
    if (out.length > maxChars) out = '…' + out.slice(-maxChars);
    else if (dropped > 0 || this.kept.length >= this.maxChars) out = `… (earlier output omitted)\n${out}`;
    return out;
  }
}

/** bash exec()s the last command of `bash -c` itself, so signals reach the app; sh (dash) does not. */
export const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

/**
 * Under sh, a simple command ("node server.js", "PORT=3 node server.js") is prefixed with exec so the
 * app replaces the shell and receives SIGTERM itself, and its exit code is what shipgate sees.
 */
export function withExec(command: string, shell: string = SHELL): string {
  if (shell.endsWith('bash')) return command;
  if (/^\s*exec\s/.test(command) || /[;&|<>()`\n]|\$\(/.test(command.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ''))) return command;
  const assignments = /^(\s*[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"(?:[^"\\]|\\.)*"|[^\s'"])*\s+)*/.exec(command)?.[0] ?? '';
  return `${assignments}exec ${command.slice(assignments.length)}`;
}

const live = new Set<ProcessGroup>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const g of live) g.signal('SIGKILL');
  });
}

export interface SpawnOptions {
  cwd?: string;
  env: NodeJS.ProcessEnv;
  /** Bytes of output kept (default 64 KiB). */
  maxOutput?: number;
}

export class ProcessGroup {
  readonly command: string;
  readonly output: OutputTail;
  readonly startedAt = performance.now();
  /** Resolves once the shell has exited, what is left of its group is killed and its output is read. */
  readonly exited: Promise<ExitInfo>;
  exit?: ExitInfo;
  /** performance.now() when the shell exited. */
  exitedAt?: number;
  readonly pid: number | undefined;
  private readonly child?: ChildProcess;
  private guard?: Guard;

  private constructor(command: string, opts: SpawnOptions) {
    this.command = command;
    this.output = new OutputTail(opts.maxOutput);
    const problem = opts.cwd !== undefined ? cwdProblem(opts.cwd) : undefined;
    if (problem) {
      this.exit = { code: null, signal: null, error: problem };
      this.exited = Promise.resolve(this.exit);
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(withExec(command), {
        shell: SHELL,
        cwd: opts.cwd,
        env: opts.env,
        detached: true, // its own process group: killable as a whole, and Ctrl-C in the terminal does not reach it
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      // Invalid arguments (e.g. a NUL byte in an environment value) throw instead of emitting 'error'.
      this.exit = { code: null, signal: null, error: `could not start: ${(err as Error).message}` };
      this.exited = Promise.resolve(this.exit);
      return;
    }
    this.child = child;
    this.pid = child.pid;
    if (child.pid !== undefined) {
      live.add(this);
      installExitHook();
      this.guard = guardGroup(child.pid);
    }
    child.stdout?.setEncoding('utf8').on('data', (d: string) => this.output.push(d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => this.output.push(d));
    this.exited = new Promise<ExitInfo>((resolve) => {
      let settled = false;
      const finish = (info: ExitInfo) => {
        if (settled) return;
        settled = true;
        this.exitedAt = performance.now();
        // Whatever the shell left behind in its group goes with it.
        this.signal('SIGKILL');
        this.guard?.release();
        live.delete(this);
        this.exit = info;
        // Output still in the pipes arrives until 'close'; every writer is dead now, so that is quick.
        const closed = new Promise<void>((r) =>
          child.exitCode !== null || child.signalCode !== null ? child.once('close', () => r()) : r(),
        );
        void Promise.race([closed, new Promise((r) => setTimeout(r, 500).unref())]).then(() => resolve(info));
      };
      child.once('error', (err) => finish({ code: null, signal: null, error: `could not start: ${err.message}` }));
      child.once('exit', (code, signal) => finish({ code, signal }));
    });
  }

  static spawn(command: string, opts: SpawnOptions): ProcessGroup {
    return new ProcessGroup(command, opts);
  }

  /** Sends a signal to the whole group; false when the group is gone. */
  signal(sig: NodeJS.Signals | 0): boolean {
    if (this.pid === undefined) return false;
    try {
      process.kill(-this.pid, sig);
      return true;
    } catch {
      return false;
    }
  }

  get running(): boolean {
    return this.pid !== undefined && this.exit === undefined;
  }

  /** Resolves with the exit, or undefined when it has not exited within ms. */
  async waitForExit(ms: number): Promise<ExitInfo | undefined> {
    if (this.exit) return this.exit;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL to the whole group, then wait for the exit. */
  async kill(): Promise<ExitInfo> {
    this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGTERM to the group, up to `graceMs` to exit, then SIGKILL. */
  async stop(graceMs: number): Promise<ExitInfo & { killed: boolean }> {
    if (this.exit) return { ...this.exit, killed: false };
    this.signal('SIGTERM');
    const exit = await this.waitForExit(graceMs);
    if (exit) return { ...exit, killed: false };
    return { ...(await this.kill()), killed: true };
  }

  /** Milliseconds since spawn. */
  get ageMs(): number {
    return performance.now() - this.startedAt;
  }
}

function cwdProblem(cwd: string): string | undefined {
  try {
    if (!statSync(cwd).isDirectory()) return `working directory ${cwd} is not a directory`;
  } catch {
    return `working directory ${cwd} does not exist`;
  }
  return undefined;
}

/** "exit code 2", "killed by SIGKILL", or why it could not start. */
export function describeExit(exit: ExitInfo): string {
  if (exit.error) return exit.error;
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}
