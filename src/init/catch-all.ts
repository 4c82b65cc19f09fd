// What the target answers for a path that cannot exist. Many single-page apps answer 200 with their
// index.html for any path, and some APIs answer 401 to anything without a token; a candidate path only
// counts as found when its answer differs from this one.
import { randomBytes } from 'node:crypto';
import { is2xx, mediaType, type Answer, type Prober } from './prober.js';

export interface CatchAll {
  get: Answer;
  post: Answer;
  /** Unknown paths answer 2xx (an SPA fallback, or a proxy's default page). */
  getIs2xx: boolean;
}

export async function probeCatchAll(p: Prober): Promise<CatchAll> {
  const id = randomBytes(4).toString('hex');
  const [get, post] = await Promise.all([p.get(`/shipgate-init-${id}`), p.postEmptyJson(`/api/shipgate-init-${id}/login`)]);
  return { get, post, getIs2xx: is2xx(get.res?.status) };
}

/** Whether a GET answer is the same thing unknown paths get (same status, type and body). */
export function looksLikeCatchAll(a: Answer, c: CatchAll): boolean {
  if (!a.res || !c.get.res) return false;
  return a.res.status === c.get.res.status && mediaType(a.res) === mediaType(c.get.res) && a.res.body === c.get.res.body;
}

/** Whether a POST answer tells nothing, because an unknown path gets the same status. */
export function postLikeCatchAll(a: Answer, c: CatchAll): boolean {
  return a.res !== undefined && c.post.res !== undefined && a.res.status === c.post.res.status;
}
