// The build gate's part of `shipgate init`: a commented template (init cannot know the build commands).
import type { InitHook } from '../../src/init/hook.js';

export const init: InitHook = {
  render: () => ({
    lines: [
      '  # TODO build: the commands that build and typecheck the app, if shipgate should run them (see README, ### build).',
      '  # build:',
      '  #   steps:',
      '  #     - name: build',
      '  #       run: npm ci && npm run build',
    ],
    todos: [],
    summary: [],
    active: false,
    template: true,
  }),
};
