// Liveness and readiness: the usual paths (Kubernetes-style /livez /readyz, /health, Spring's actuator,
// …) are asked once each; the first that answers 2xx (readiness: or 503, "not ready") is taken.
import { looksLikeCatchAll, type CatchAll } from '../../src/init/catch-all.js';
import { is2xx, mediaType, parseJson, type Answer, type Prober } from '../../src/init/prober.js';

export const LIVENESS_PATHS = [
  '/livez',
  '/healthz',
  '/health',
  '/health/live',
  '/health/liveness',
  '/api/health',
  '/api/healthz',
  '/healthcheck',
  '/_health',
  '/actuator/health/liveness',
  '/actuator/health',
  '/status',
  '/api/status',
  '/ping',
];
export const READINESS_PATHS = [
  '/readyz',
  '/ready',
  '/health/ready',
  '/health/readiness',
  '/readiness',
  '/api/ready',
  '/api/readyz',
  '/actuator/health/readiness',
];

/** Values of a body's "status" field that mean healthy; only these become a condition. */
const HEALTHY = /^(ok|up|healthy|pass|passing|ready|alive|green|available)$/i;

export interface ProbeFinding {
  path: string;
  status: number;
  /** Media type; "" when the answer had none. */
  contentType: string;
  /** `body.status == "ok"` when the JSON body says so. */
  condition?: string;
  /** The body's status field, whatever it said. */
  bodyStatus?: string;
  durationMs: number;
}

export interface HealthFindings {
  liveness?: ProbeFinding;
  readiness?: ProbeFinding;
  /** Every candidate that answered, for the summary and the profile's comments. */
  found: ProbeFinding[];
}

function toFinding(a: Answer): ProbeFinding | undefined {
  if (!a.res) return undefined;
  const json = parseJson(a.res.body) as Record<string, unknown> | undefined;
  const bodyStatus = json && typeof json === 'object' && typeof json.status === 'string' ? json.status : undefined;
  return {
    path: a.path,
    status: a.res.status,
    contentType: mediaType(a.res),
    bodyStatus,
    condition:
      bodyStatus && HEALTHY.test(bodyStatus) && is2xx(a.res.status) ? `body.status == ${JSON.stringify(bodyStatus)}` : undefined,
    durationMs: a.res.durationMs,
  };
}

export async function probeHealth(p: Prober, catchAll: CatchAll): Promise<HealthFindings> {
  const paths = [...LIVENESS_PATHS, ...READINESS_PATHS];
  const answers = await p.each(paths, (path) => p.get(path, { accept: 'application/json, */*;q=0.5' }));
  const byPath = new Map<string, ProbeFinding>();
  answers.forEach((a) => {
    if (!a.res || looksLikeCatchAll(a, catchAll)) return;
    // A readiness endpoint may answer 503 while a dependency is down; it still exists.
    const exists = is2xx(a.res.status) || (a.res.status === 503 && mediaType(a.res) !== 'text/html');
    const f = exists ? toFinding(a) : undefined;
    if (f) byPath.set(a.path, f);
  });
  // A JSON or text answer beats a page: /status may well be a human status page.
  const pick = (list: string[], ok: (f: ProbeFinding) => boolean) => {
    const candidates = list.map((x) => byPath.get(x)).filter((f): f is ProbeFinding => f !== undefined && ok(f));
    return candidates.find((f) => f.contentType !== 'text/html') ?? candidates[0];
  };
  const liveness = pick(LIVENESS_PATHS, (f) => is2xx(f.status));
  const readiness = pick(READINESS_PATHS, () => true);
  return { liveness, readiness, found: [...byPath.values()] };
}
