import { defineCheck } from '../../src/check.js';

export const liveness = defineCheck({
  id: 'probes.liveness',
  title: 'Liveness probe answers correctly',
  severity: 'critical',
  rationale:
    'An orchestrator restarts a container whose liveness probe fails; a wrong answer here means restarts or a dead app left in rotation.',
  remediation: 'Serve GET /health with 200 and a small JSON body ({"status":"ok"}) that does not depend on downstream services.',
  tunedBy: [
    'gates.probes.liveness.path',
    'gates.probes.liveness.status',
    'gates.probes.liveness.contentType',
    'gates.probes.liveness.conditions',
  ],
});

export const readiness = defineCheck({
  id: 'probes.readiness',
  title: 'Readiness probe answers correctly',
  severity: 'critical',
  rationale:
    'Traffic is routed only to ready instances; a readiness endpoint that lies sends users to an instance whose dependencies are down.',
  remediation:
    "Serve GET /ready that checks the app's real dependencies (database, cache) and answers 503 with the failing one named when any is down.",
  tunedBy: [
    'gates.probes.readiness.path',
    'gates.probes.readiness.status',
    'gates.probes.readiness.contentType',
    'gates.probes.readiness.conditions',
  ],
});

export const latency = defineCheck({
  id: 'probes.latency',
  title: 'Probes answer within the latency budget',
  severity: 'high',
  rationale: 'Probes have timeouts (Kubernetes: 1 s by default); a slow probe is a failing probe under load.',
  remediation: 'Keep probe handlers cheap: no synchronous downstream calls in liveness, cached dependency status in readiness.',
  tunedBy: ['gates.probes.liveness.maxLatency', 'gates.probes.readiness.maxLatency'],
});

export const flapping = defineCheck({
  id: 'probes.flapping',
  title: 'Probes give the same answer every time',
  severity: 'high',
  rationale:
    'A probe that alternates between healthy and unhealthy makes the orchestrator flap the instance in and out of rotation.',
  remediation:
    'Find the intermittent dependency or race behind the changing answer; add hysteresis to readiness if a dependency is flaky.',
  tunedBy: ['gates.probes.samples', 'gates.probes.interval'],
});

export const catalogue = [liveness, readiness, latency, flapping];
