import { handle } from '@hono/node-server/vercel';
import { createApp, depsFromEnv } from './_lib/app.js';

// Vercel (Node runtime): every /api/* request goes to the one Hono app.
export const config = { api: { bodyParser: false } };
export default handle(createApp(depsFromEnv()));
