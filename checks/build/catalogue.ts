import { defineCheck } from '../../src/check.js';

export const steps = defineCheck({
  id: 'build.steps',
  title: 'Build step succeeds',
  severity: 'critical',
  rationale:
    'A release is only as good as the commands that produce it; a build or typecheck that fails, or hangs, must stop the release before anything is deployed.',
  remediation:
    "Run the failing step locally with the same command and working directory (shown in the evidence), fix the error its output names, or raise the step's timeout if it is merely slow.",
  tunedBy: ['gates.build.steps[].run', 'gates.build.steps[].cwd', 'gates.build.steps[].env', 'gates.build.steps[].timeout'],
});

export const artifacts = defineCheck({
  id: 'build.artifacts',
  title: 'Build artifacts exist within their size budget',
  severity: 'high',
  rationale:
    'A build that "succeeds" without producing its output, or whose bundle silently doubled, ships a broken or slow release.',
  remediation:
    'Check the build writes where the pattern points; for an over-budget bundle, look at the largest files listed (a dependency bundled by mistake, source maps shipped, minification off), or raise maxSize deliberately.',
  tunedBy: ['gates.build.artifacts[].path', 'gates.build.artifacts[].maxSize', 'gates.build.artifacts[].minFiles'],
});

export const start = defineCheck({
  id: 'build.start',
  title: 'The app starts and becomes ready',
  severity: 'critical',
  rationale: 'An app that exits at startup or never becomes ready cannot serve anything; every other gate depends on it.',
  remediation:
    'Read the output tail in the evidence: usually a missing environment variable, a port already in use, or a readiness URL or log line that does not match what the app serves or prints (target.start.ready).',
  tunedBy: ['target.start.command', 'target.start.cwd', 'target.start.env', 'target.start.ready', 'target.start.timeout'],
});

export const gracefulShutdown = defineCheck({
  id: 'build.graceful-shutdown',
  title: 'SIGTERM drains in-flight requests and exits 0',
  severity: 'high',
  rationale:
    'Every deploy, scale-in and node drain sends SIGTERM; an app that drops in-flight requests, keeps accepting new ones, or has to be SIGKILLed turns each deploy into a burst of user-visible errors.',
  remediation:
    "On SIGTERM stop accepting (Node: server.close(); Express/Fastify: server.close() / fastify.close()), let in-flight requests finish, close pools, then exit 0 — before the orchestrator's grace period (Kubernetes terminationGracePeriodSeconds, 30 s). Under a shell or npm, use `exec node server.js` so the signal reaches the app.",
  tunedBy: [
    'gates.build.gracefulShutdown.path',
    'gates.build.gracefulShutdown.signalAfter',
    'gates.build.gracefulShutdown.shutdownTimeout',
  ],
});

export const failFast = defineCheck({
  id: 'build.fail-fast',
  title: 'The app refuses to start without its required configuration',
  severity: 'high',
  rationale:
    "An app that starts without a required setting fails later, on a user's request, far from the cause; validating the environment at startup turns a misconfigured deploy into a failed rollout that names the missing variable.",
  remediation:
    'Validate the environment at startup (zod/envalid/env-schema, or a plain check) and exit non-zero with a message naming each missing variable, before listening on the port.',
  tunedBy: ['gates.build.failFast.requiredEnv', 'gates.build.failFast.portEnv', 'gates.build.failFast.timeout'],
});

export const envExample = defineCheck({
  id: 'build.env-example',
  title: '.env.example documents configuration without real secrets',
  severity: 'high',
  rationale:
    'A .env.example tells the next person which variables the app needs; a real secret in it, or a committed .env, leaks credentials to everyone with read access to the repository and its history.',
  remediation:
    'Keep placeholders only in .env.example (API_KEY=change-me), add .env to .gitignore, `git rm --cached .env`, and rotate any secret that was committed — removing it from the file does not remove it from history.',
  tunedBy: ['gates.build.repo'],
});

export const catalogue = [steps, artifacts, start, gracefulShutdown, failFast, envExample];
