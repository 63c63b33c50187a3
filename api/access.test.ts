import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi } from '../test/api.js';
import { community, persona } from '../test/personas.js';
import { operations, schemaTools, type OpenApiDoc, type Operation } from '../test/openapi.js';

/**
 * Who may reach which row, over HTTP, for every route that takes an id (generated from the OpenAPI
 * document, so a new route is covered the day it is added):
 *   - people of another community (a villager, the village's committee) get a 4xx for every row of 春晖社区,
 *     whatever the route and whatever kind of row the id names;
 *   - a resident of another household gets a 4xx for every personal row of `resident` (cases, bookings,
 *     redemptions, help requests, verification requests, sign-ups);
 *   - and none of these requests changes anything.
 */
let api: Awaited<ReturnType<typeof testApi>>;
let routes: Operation[] = [];
let tools: ReturnType<typeof schemaTools>;

beforeAll(async () => {
  api = await testApi({ WRITE_RATE_LIMIT: '100000' });
  const doc = (await api.call('GET', '/api/openapi.json')).body as OpenApiDoc;
  tools = schemaTools(doc);
  routes = operations(doc).filter((op) => /\{(id|pickupCode)\}/.test(op.path));
});
afterAll(async () => {
  await api.close();
});

/** Up to `n` ids of every app table that has a uuid id and a community: rows of 春晖社区. */
async function communityRows(n: number): Promise<Array<{ table: string; id: string }>> {
  const tables = await api.db.sql<{ t: string }>(`
    select c.relname as t from pg_class c
     where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'id' and a.atttypid = 'uuid'::regtype)
       and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'community_id')
     order by 1`);
  const out: Array<{ table: string; id: string }> = [];
  for (const { t } of tables.rows) {
    const r = await api.db.sql<{ id: string }>(`select id::text from app.${t} where community_id = $1 order by id limit ${n}`, [community.chunhui]);
    out.push(...r.rows.map((x) => ({ table: t, id: x.id })));
  }
  return out;
}

/** A person's own rows: what another resident of the same community must not reach. */
async function personalRows(owner: string): Promise<Array<{ table: string; id: string }>> {
  const owned: Array<[string, string, string?]> = [
    ['applications', 'applicant_id'],
    ['appointments', 'profile_id'],
    ['redemptions', 'profile_id'],
    ['proxy_requests', 'resident_id'],
    ['verification_requests', 'profile_id'],
    ['activity_signups', 'profile_id'],
    // A 随手拍 at one's own household (one in a public place can be joined by any neighbour as "同一件事").
    ['grid_reports', 'reporter_id', `place_kind = 'household'`],
  ];
  const out: Array<{ table: string; id: string }> = [];
  for (const [t, col, where] of owned) {
    const exists = await api.db.sql(`select 1 from information_schema.columns where table_schema = 'app' and table_name = $1 and column_name = $2`, [t, col]);
    expect(exists.rowCount, `app.${t}.${col}`).toBe(1);
    const r = await api.db.sql<{ id: string }>(`select id::text from app.${t} where ${col} = $1 ${where ? `and ${where}` : ''} limit 3`, [owner]);
    out.push(...r.rows.map((x) => ({ table: t, id: x.id })));
  }
  return out;
}

async function fingerprint(): Promise<string> {
  const { rows } = await api.db.sql<{ t: string; n: string }>(`
    select c.relname as t, (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from app.%I', c.relname), false, true, '')))[1]::text as n
      from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind = 'r' and c.relname <> 'rate_limits' order by 1`);
  return rows.map((r) => `${r.t}=${r.n}`).join(',');
}

async function probe(who: string, token: string, rows: Array<{ table: string; id: string }>, pickupCodes: string[]) {
  const leaks: string[] = [];
  for (const op of routes) {
    const b = tools.baseline(op);
    const ids = op.path.includes('{pickupCode}') ? pickupCodes.map((id) => ({ table: 'redemptions.pickup_code', id })) : rows;
    for (const row of ids) {
      const path = op.path
        .replace('{id}', row.id)
        .replace('{pickupCode}', row.id)
        .replace(/\{(\w+)\}/g, (_, k: string) => String(b.pathParams[k]));
      const qs = Object.entries(b.query)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join('&');
      const res = await api.call(op.method.toUpperCase(), `${path}${qs ? `?${qs}` : ''}`, {
        token,
        headers: b.headers,
        ...(b.body !== undefined ? { body: b.body } : {}),
      });
      if (res.status < 400 || res.status >= 500) leaks.push(`${who} ${op.method.toUpperCase()} ${op.path} with ${row.table} ${row.id}: ${res.status}`);
    }
  }
  return leaks;
}

describe('every route that takes an id', () => {
  it('covers the id-taking routes of every domain', () => {
    const domains = new Set(routes.map((r) => r.path.split('/')[2]));
    expect([...domains].sort()).toEqual(expect.arrayContaining(['affairs', 'hall', 'mall', 'notices', 'points', 'volunteer']));
  });

  it('refuses people of another community every row of this one, and changes nothing', async () => {
    const rows = await communityRows(2);
    expect(new Set(rows.map((r) => r.table)).size).toBeGreaterThan(15);
    const codes = (
      await api.db.sql<{ c: string }>(`select pickup_code as c from app.redemptions where community_id = $1 limit 2`, [community.chunhui])
    ).rows.map((r) => r.c);
    const before = await fingerprint();
    const leaks = [
      ...(await probe('villager', await api.login('villager'), rows, codes)),
      ...(await probe('village_committee', await api.login('village_committee'), rows, codes)),
    ];
    expect(leaks).toEqual([]);
    expect(await fingerprint()).toBe(before);
  }, 300_000);

  it('refuses a resident of another household the personal rows of this one, and changes nothing', async () => {
    const pairs = [
      ['resident2', persona.resident],
      ['resident', persona.resident2],
      ['resident', persona.volunteer],
    ] as const;
    const before = await fingerprint();
    let probed = 0;
    for (const [who, owner] of pairs) {
      const rows = await personalRows(owner);
      probed += rows.length;
      const codes = (await api.db.sql<{ c: string }>(`select pickup_code as c from app.redemptions where profile_id = $1 limit 2`, [owner])).rows.map(
        (r) => r.c,
      );
      expect(await probe(who, await api.login(who), rows, codes)).toEqual([]);
    }
    expect(probed).toBeGreaterThan(3);
    expect(await fingerprint()).toBe(before);
  }, 300_000);
});
