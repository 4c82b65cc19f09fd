// The demo target's concerns, one module each. A gate issue adds its module here.
import type { DemoModule } from './app.js';
import { health } from './health.js';
import { realtime } from './realtime.js';

export const DEMO_MODULES: DemoModule[] = [health, realtime];

export const DEMO_FLAWS: Record<string, string> = Object.assign({}, ...DEMO_MODULES.map((m) => m.flaws));
