// The load gate's part of `shipgate init`: a commented template on the health path. Load is never switched
// on by init: it perturbs the target.
import type { InitHook } from '../../src/init/hook.js';

export const init: InitHook = {
  render: (_found, ctx) => ({
    lines: [
      '  # Load is never switched on by init: it perturbs the target. Point it at a staging target, then uncomment.',
      '  # load:',
      '  #   endpoints:',
      `  #     - path: ${ctx.facts.healthPath ?? '/health'}`,
      "  #       thresholds: ['p95 < 200ms', 'errors < 1%']",
      '  #   connections: 10',
      '  #   duration: 10s',
    ],
    todos: [],
    summary: [],
    active: false,
    template: true,
  }),
};
