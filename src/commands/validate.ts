import { loadProfile } from '../profile/load.js';
import { planGates } from '../runner/plan.js';

export async function validateCommand(profilePath: string): Promise<number> {
  const { profile } = await loadProfile(profilePath);
  const gates = planGates(profile).flat().map((g) => g.id);
  process.stdout.write(`${profilePath}: valid profile "${profile.name}" → ${profile.target.baseUrl}; gates: ${gates.join(', ') || '(none)'}\n`);
  return 0;
}
