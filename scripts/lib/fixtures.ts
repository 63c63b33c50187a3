import pg from 'pg';
import { randomUUID } from 'node:crypto';

/**
 * Rows for load (bench) and fault tests, written straight into a throw-away database as the table owner:
 * residents of 春晖社区 with spendable points, and a good with recorded stock.
 */
const CHUNHUI = '20000000-0000-4000-8000-000000000001';
const HOUSEHOLD = '50000000-0000-4000-8000-000000000005';
const COMMITTEE = '60000000-0000-4000-8000-000000000007';
const CLERK = '60000000-0000-4000-8000-000000000006';

/** Residents with `points` available points each (earned in a month whose objection window has closed). */
export async function residentsWithPoints(url: string, n: number, points = 1000): Promise<string[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const ids = Array.from({ length: n }, () => randomUUID());
    await c.query('begin');
    await c.query(`insert into app.profiles (id, display_name) select unnest($1::uuid[]), '压测居民'`, [ids]);
    await c.query(`insert into app.memberships (profile_id, community_id, role, household_id) select unnest($1::uuid[]), $2, 'resident', $3`, [
      ids,
      CHUNHUI,
      HOUSEHOLD,
    ]);
    await c.query(`insert into app.point_accounts (profile_id, community_id, balance) select unnest($1::uuid[]), $2, $3`, [ids, CHUNHUI, points]);
    await c.query(
      `insert into app.point_publications (community_id, month, objection_days, published_by, window_closes_at)
                   values ($1, '2000-01-01', 0, $2, '2000-01-02') on conflict do nothing`,
      [CHUNHUI, COMMITTEE],
    );
    await c.query(
      `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, month)
                   select unnest($1::uuid[]), $2, $3, 'award', '压测', 'bench-award', '2000-01-01'`,
      [ids, CHUNHUI, points],
    );
    await c.query('commit');
    return ids;
  } finally {
    await c.end();
  }
}

/** A good priced at 1 point with `stock` units on the shelf. */
export async function goodsWithStock(url: string, stock: number): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const id = randomUUID();
    await c.query(`insert into app.goods (id, community_id, name, price_points, created_by) values ($1, $2, '压测商品', 1, $3)`, [id, CHUNHUI, CLERK]);
    await c.query(`insert into app.goods_stock_changes (goods_id, delta, kind, reason) values ($1, $2, 'restock', '压测')`, [id, stock]);
    await c.query(`update app.goods set stock = $2, total_stocked = $2 where id = $1`, [id, stock]);
    return id;
  } finally {
    await c.end();
  }
}
