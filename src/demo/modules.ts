// The demo target's concerns, one module each. A gate issue adds its module here.
import type { DemoModule } from './app.js';
import { auth } from './auth.js';
import { health } from './health.js';

export const DEMO_MODULES: DemoModule[] = [health, auth];

export const DEMO_FLAWS: Record<string, string> = Object.assign({}, ...DEMO_MODULES.map((m) => m.flaws));
