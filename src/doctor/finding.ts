// One line of `shipgate doctor`: what holds (✓) or not (✗), and for ✗ the one thing to do about it.
export interface Finding {
  id: string;
  ok: boolean;
  message: string;
  /** One line: what to do. Only when !ok. */
  fix?: string;
  details?: Record<string, unknown>;
}
