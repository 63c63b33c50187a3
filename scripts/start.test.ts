import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './lib/local-pg.js';
import { repoRoot } from './lib/migrate.js';
import { testDb } from '../test/db.js';

/**
 * The README's production path, exactly: `DATABASE_URL=… NODE_ENV=production JWT_SECRET=… npm start`
 * (here `tsx scripts/start.ts`, what `npm start` runs after installing), against a database that holds the
 * demo personas — a pilot that grew out of the demo. Persona sign-in must not exist there.
 */
describe('npm start in production', () => {
  it('serves no demo sign-in and no persona list, and lists no personas on the console', async () => {
    const db = await testDb();
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), 'scripts/start.ts'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        NODE_ENV: 'production',
        JWT_SECRET: 'production-secret-0123456789-abcdefghijklmnop',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DEV_LOGIN: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      // npm test has just built H5, so start should find it up to date; a rebuild here would take minutes.
      const deadline = Date.now() + 100_000;
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (out.includes('is running')) {
            clearInterval(timer);
            resolve();
          } else if (child.exitCode !== null) {
            clearInterval(timer);
            reject(new Error(`start exited: ${out}`));
          } else if (Date.now() > deadline) {
            clearInterval(timer);
            reject(new Error(`start did not come up in 100 s: ${out}`));
          }
        }, 200);
      });
      const base = `http://127.0.0.1:${port}`;
      const dev = await fetch(`${base}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"persona":"admin"}' });
      expect(dev.status).toBe(404);
      expect((await fetch(`${base}/api/auth/dev/personas`)).status).toBe(404);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      expect(out).not.toMatch(/Demo personas/);
      expect(out).toMatch(/weapp build skipped/);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await db.close();
    }
  }, 120_000);
});
