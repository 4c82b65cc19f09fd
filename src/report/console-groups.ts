// The console's lines of concurrent gates: each gate's lines are held and printed as one group when the
// gate ends, in plan order (a group waits for the groups before it). A gate with work deferred until every
// other gate is done (graceful shutdown, the login burst, the cookie audit) is printed when it ends with
// its deferred checks marked pending; they fill in under the same heading, and later groups wait for them.
// The transient progress line (stderr) is cleared before any line is printed.
import kleur from 'kleur';
import { oneLine as text } from './escape.js';

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

export class ConsoleGroups {
  readonly titles = new Map<string, string>();
  private transient = false;
  private readonly order: string[] = [];
  private readonly groups = new Map<string, string[]>();
  private readonly ended = new Set<string>();
  private readonly complete = new Set<string>();
  private readonly started = new Set<string>();

  constructor(
    private readonly out: Stream,
    private readonly err: Stream,
  ) {}

  /** Removes the transient progress line, if one is showing. */
  clear(): void {
    if (this.transient) this.err.write('\r\x1b[K');
    this.transient = false;
  }

  /** Replaces the transient progress line. */
  progress(s: string): void {
    this.clear();
    this.err.write(s);
    this.transient = true;
  }

  /** Prints a line now. */
  line(s: string): void {
    this.clear();
    this.out.write(s + '\n');
  }

  /** The gate's held lines (its place in the order is taken on first sight). */
  groupOf(gateId: string): string[] {
    if (!this.order.includes(gateId)) this.order.push(gateId);
    if (!this.groups.has(gateId)) this.groups.set(gateId, []);
    return this.groups.get(gateId)!;
  }

  add(gateId: string, l: string): void {
    // The group is on screen already (its deferred checks, or a rare late line): the line follows at once.
    if (this.started.has(gateId)) this.line(l);
    else this.groupOf(gateId).push(l);
  }

  /** The gate ended; with deferred work pending it is printed but stays open. */
  end(gateId: string, pending: boolean): void {
    this.ended.add(gateId);
    if (!pending) this.complete.add(gateId);
    this.flush();
  }

  /** Prints the groups whose turn it is; `all` (the run's end, an interrupted run) prints every group. */
  flush(all = false): void {
    for (const id of this.order) {
      if (!this.started.has(id)) {
        if (!all && !this.ended.has(id)) return;
        this.started.add(id);
        this.line(`\n${kleur.bold(text(this.titles.get(id) ?? id))} ${kleur.gray(`(${text(id)})`)}`);
        for (const l of this.groups.get(id) ?? []) this.line(l);
        if (!all && !this.complete.has(id)) this.line(kleur.gray('  … pending: checks that run after every other gate'));
      }
      // The open group of a gate with deferred work keeps the place at the end of the output.
      if (!all && !this.complete.has(id)) return;
    }
  }
}
