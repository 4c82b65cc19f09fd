// Secrets (from the profile and obtained during the run) are replaced by *** everywhere output is produced.

export const REDACTED = '***';

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Values shorter than 4 characters are not tracked: they would mangle ordinary text. */
  add(value: string | undefined | null): void {
    if (!value || value.length < 4) return;
    this.secrets.add(value);
    // Also catch the forms a secret commonly takes in transit.
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.secrets.add(encoded);
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) this.secrets.add(json);
  }

  get size(): number {
    return this.secrets.size;
  }

  text(input: string): string {
    if (this.secrets.size === 0 || !input) return input;
    let out = input;
    // Longest first so a secret containing another is replaced whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(s)) out = out.split(s).join(REDACTED);
    }
    return out;
  }

  /** Deep-redacts strings inside any JSON-like value. */
  value<T>(input: T): T {
    if (this.secrets.size === 0) return input;
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.text(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) o[k] = walk(x);
        return o;
      }
      return v;
    };
    return walk(input) as T;
  }
}
