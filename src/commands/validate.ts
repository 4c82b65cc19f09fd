import { loadProfile } from '../profile/load.js';
import { planGates } from '../runner/plan.js';
import { displayUrl } from '../redact.js';

export async function validateCommand(profilePath: string): Promise<number> {
  const { profile, secrets } = await loadProfile(profilePath);
  const gates = planGates(profile)
    .flat()
    .map((g) => g.id);
  process.stdout.write(
    `${profilePath}: valid profile "${profile.name}" → ${displayUrl(profile.target.baseUrl, secrets)}; gates: ${gates.join(', ') || '(none)'}\n`,
  );
  return 0;
}
