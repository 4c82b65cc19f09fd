// The demo target's concerns, one module each. A gate issue adds its module here.
import type { DemoModule } from './app.js';
import { auth } from './auth.js';
import { exposure } from './exposure.js';
import { health } from './health.js';
import { lifecycle } from './lifecycle.js';
import { load } from './load.js';
import { realtime } from './realtime.js';
import { security } from './security.js';
import { tls } from './tls.js';

export const DEMO_MODULES: DemoModule[] = [health, lifecycle, security, auth, realtime, load, exposure, tls];

export const DEMO_FLAWS: Record<string, string> = Object.assign({}, ...DEMO_MODULES.map((m) => m.flaws));
