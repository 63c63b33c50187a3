import { depsFromEnv } from '../../api/_lib/app.js';
import { startServer } from '../serve.js';

/**
 * The API server of `npm run bench`, in its own process as in production: a client in the same process
 * would share the server's one JavaScript thread and be measured with it. Started by `serverProcess`.
 */
const deps = depsFromEnv(JSON.parse(process.env.BENCH_SERVER_ENV!) as Record<string, string>);
const server = await startServer(deps, 0);
process.send!({ url: server.url });
process.once('message', async () => {
  await server.close();
  await deps.db.close();
  process.exit(0);
});
