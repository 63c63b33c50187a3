import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createApp, depsFromEnv } from './app.js';
import { startLocalPostgres, freePort, type LocalPostgres } from '../../scripts/lib/local-pg.js';
import { migrate, seed } from '../../scripts/lib/migrate.js';
import { goodsWithStock, residentsWithPoints } from '../../scripts/lib/fixtures.js';
import { TEST_JWT_SECRET } from '../../test/api.js';

/**
 * The database goes away under load — every connection terminated (a failover, a pooler's timeout), then a
 * full restart — and comes back. The server must keep answering (503 while the database is away, never a
 * 500 and never a crash), reconnect by itself, and the mini-program's retries with the same Idempotency-Key
 * must end with every acknowledged redemption existing exactly once and every invariant intact.
 * This file runs its own Postgres, since it restarts it.
 */
let dir = '';
let port = 0;
let local: LocalPostgres;
let url = '';

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cunju-faults-'));
  port = await freePort();
  local = await startLocalPostgres({ dir, port, quiet: true, fast: true });
  url = local.url();
  await migrate(url);
  await seed(url);
});
afterAll(async () => {
  await local?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function admin<T>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

describe('when the database drops its connections and restarts under load', () => {
  it('answers 503 meanwhile, recovers by itself, and retried redemptions exist exactly once', async () => {
    const N = 40;
    const people = await residentsWithPoints(url, N, 10);
    const goods = await goodsWithStock(url, N);
    const deps = depsFromEnv({ NODE_ENV: 'test', DATABASE_URL: url, JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '10' });
    const app = createApp(deps);
    const tokens = await Promise.all(people.map((p) => deps.tokens.sign(p, 1)));

    const statuses: number[] = [];
    const firstAnswer = new Map<number, string>();
    let outage = false;

    // Each resident redeems once, retrying with the same key until the server acknowledges it — as the
    // mini-program's client does after a network failure or a 5xx.
    async function redeem(i: number) {
      for (let attempt = 0; attempt < 400; attempt++) {
        const started = Date.now();
        const res = await app.request('/api/mall/redemptions', {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json', 'idempotency-key': `fault-${i}-key0` },
          body: JSON.stringify({ goodsId: goods }),
        });
        statuses.push(res.status);
        const body = (await res.json()) as { id?: string; error?: { code: string } };
        if (res.status === 201) {
          if (firstAnswer.has(i)) expect(body.id).toBe(firstAnswer.get(i));
          else firstAnswer.set(i, body.id!);
          return;
        }
        expect(res.status, JSON.stringify(body)).toBe(503);
        expect(body.error!.code).toBe('db.unavailable');
        // Failing fast while the database is away: no request hangs.
        expect(Date.now() - started).toBeLessThan(10_000);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`resident ${i} never got an answer`);
    }

    const load = Promise.all(people.map((_, i) => new Promise((r) => setTimeout(r, i * 15)).then(() => redeem(i))));
    // While the first redemptions run: terminate every connection, then restart Postgres.
    await new Promise((r) => setTimeout(r, 120));
    outage = true;
    await admin(`select pg_terminate_backend(pid) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()`);
    await local.stop();
    // Requests during the outage fail fast with 503.
    const during = await app.request('/api/me', { headers: { authorization: `Bearer ${tokens[0]}` } });
    expect(during.status).toBe(503);
    await new Promise((r) => setTimeout(r, 500));
    local = await startLocalPostgres({ dir, port, quiet: true, fast: true });
    await load;
    expect(outage).toBe(true);

    expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503);
    expect(firstAnswer.size).toBe(N);
    // Every acknowledged redemption exists exactly once; the stock and the ledger agree.
    const rows = await admin<{ n: string; people: string }>(
      `select count(*) as n, count(distinct profile_id) as people from app.redemptions where goods_id = '${goods}'`,
    );
    expect(rows[0]).toEqual({ n: String(N), people: String(N) });
    const ids = await admin<{ id: string }>(`select id from app.redemptions where goods_id = '${goods}'`);
    expect(new Set(ids.map((r) => r.id))).toEqual(new Set(firstAnswer.values()));
    const [inv] = await admin<{ v: unknown }>('select app.mall_invariant_violations() as v');
    expect(inv!.v).toEqual([]);
    const [stock] = await admin<{ stock: number; reserved: number }>(`select stock, reserved from app.goods where id = '${goods}'`);
    expect(stock).toEqual({ stock: 0, reserved: N });

    // And the server simply goes on.
    const me = await app.request('/api/me', { headers: { authorization: `Bearer ${tokens[0]}` } });
    expect(me.status).toBe(200);
    await deps.db.close();
  }, 120_000);
});
