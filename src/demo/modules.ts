// The demo target's concerns, one module each. A gate issue adds its module here.
import type { DemoModule } from './app.js';
import { health } from './health.js';
import { load } from './load.js';

export const DEMO_MODULES: DemoModule[] = [health, load];

export const DEMO_FLAWS: Record<string, string> = Object.assign({}, ...DEMO_MODULES.map((m) => m.flaws));
