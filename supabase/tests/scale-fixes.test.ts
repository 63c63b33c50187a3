import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, testDb, userClaims } from '../../test/db.js';
import { community, persona, type PersonaName } from '../../test/personas.js';

/**
 * Migration 20261130006200_scale_fixes: the notice policies became set-based and two list functions were
 * rewritten for their plans. These tests hold them to the definitions they replaced: every row, every
 * persona, the same answer as the per-row functions (app.can_see_version, app.can_read_notice, app.has_role),
 * which stay in the database as the reference.
 */

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
  await fixtures();
});
afterAll(async () => t.close());

const grid2 = '30000000-0000-4000-8000-000000000002';
const villageSupervisor = '60000000-0000-4000-8000-000000000014';
const everyone: PersonaName[] = [
  'resident',
  'resident2',
  'villager',
  'volunteer',
  'grid_worker',
  'clerk',
  'committee',
  'supervisor',
  'admin',
  'village_committee',
  'newcomer',
];
const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const asReader = (who: PersonaName | string, text: string) => t.sqlAs(who, text);

/** The old definitions: run as the owner (no RLS) with the profile's claims, so auth.uid() is theirs. */
async function reference<T extends pg.QueryResultRow = any>(who: PersonaName | string, text: string) {
  const sub = who in persona ? persona[who as PersonaName] : who;
  const client = await t.pool.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(userClaims(sub))]);
    const res = await client.query<T>(text);
    await client.query('commit');
    return res.rows;
  } finally {
    client.release();
  }
}

const fixture: Record<string, string> = {};

/**
 * Notices in every state the policies distinguish, in both communities: scheduled for later, for one grid,
 * under review, returned, a published notice with a correction under review or returned, emergencies in and
 * out of force, and a published version whose notice never recorded its publication (a state no function
 * produces; the old policy hid it, and so must the new one).
 */
async function fixtures() {
  const committee = t.as('committee');
  const create = async (key: string, category: string, args: Record<string, unknown> = {}, who = committee, c: string = community.chunhui) => {
    const n = await who('create_notice', { p_community_id: c, p_category: category, p_content: { title: `测试：${key}`, body: '正文' }, ...args });
    fixture[key] = n.id;
    return n.id as string;
  };
  const submit = (id: string, who = committee) => who('submit_notice', { p_notice_id: id });
  const review = (id: string, approve: boolean, who = t.as('supervisor')) =>
    who('review_notice', { p_notice_id: id, p_approve: approve, p_comment: approve ? null : '请补充会议记录' });
  const correct = (id: string, who = committee) =>
    who('correct_notice', { p_notice_id: id, p_content: { title: '测试：更正', body: '更正后的正文' }, p_correction_note: '更正日期' });

  await submit(await create('scheduled', 'routine', { p_publish_at: hours(48) }));
  await submit(await create('scheduledPast', 'routine', { p_publish_at: hours(-1) }));
  await submit(await create('grid2', 'routine', { p_audience_grid_ids: [grid2] }));
  await create('draft', 'routine');
  await submit(await create('underReview', 'affairs'));
  const returned = await create('returned', 'affairs');
  await submit(returned);
  await review(returned, false);
  const correctedSubmitted = await create('correctionUnderReview', 'affairs');
  await submit(correctedSubmitted);
  await review(correctedSubmitted, true);
  await correct(correctedSubmitted);
  const correctedReturned = await create('correctionReturned', 'affairs');
  await submit(correctedReturned);
  await review(correctedReturned, true);
  await correct(correctedReturned);
  await review(correctedReturned, false);
  const scheduledGrid = await create('scheduledGrid2', 'routine', { p_publish_at: hours(24), p_audience_grid_ids: [grid2] });
  await submit(scheduledGrid);

  // 柳塘村: one under review, one returned by its own supervisor.
  const village = t.as('village_committee');
  await submit(await create('villageUnderReview', 'affairs', {}, village, community.liutang), village);
  const villageReturned = await create('villageReturned', 'affairs', {}, village, community.liutang);
  await submit(villageReturned, village);
  await review(villageReturned, false, t.as(villageSupervisor));

  // Emergencies: in force without an end, in force until tomorrow, over, and one scheduled for tomorrow.
  await submit(await create('emergencyOpen', 'emergency'));
  await submit(await create('emergencyUntilTomorrow', 'emergency', { p_expires_at: hours(24) }));
  await submit(await create('emergencyOver', 'emergency', { p_expires_at: hours(1) }));
  await t.sql(`update app.notices set expires_at = now() - interval '1 minute' where id = $1`, [fixture.emergencyOver]);
  await submit(await create('emergencyLater', 'emergency', { p_publish_at: hours(24) }));

  // Read receipts: the resident has read the open emergency; the villager a 柳塘村 notice.
  await t.as('resident')('record_notice_read', { p_notice_id: fixture.emergencyOpen });
  await t.as('villager')('record_notice_read', { p_notice_id: 'a1000000-0000-4000-8000-000000000008' });

  // A published version under a notice without first_published_at (written as the owner, past every function).
  const orphan = (
    await t.sql(`insert into app.notices (community_id, category, created_by) values ($1, 'routine', $2) returning id`, [community.chunhui, persona.committee])
  ).rows[0].id as string;
  fixture.unrecordedPublication = orphan;
  await t.sql(
    `insert into app.notice_versions (notice_id, version, status, title, written_by, published_at, published_by, content_sha256)
               values ($1, 1, 'published', '测试：未记录发布', $2, now(), $2, repeat('0', 64))`,
    [orphan, persona.committee],
  );
}

// ---------------------------------------------------------------- policies: the same rows as before

describe('the set-based notice policies', () => {
  const versions = 'select notice_id, version from app.notice_versions';
  const key = (rows: { notice_id: string; version: number }[]) => rows.map((r) => `${r.notice_id}/${r.version}`).sort();

  it('show every persona exactly the notice versions app.can_see_version allows', async () => {
    const seen = new Map<string, string[]>();
    for (const who of [...everyone, villageSupervisor]) {
      const expected = key(await reference(who, `${versions} v where app.can_see_version(v.notice_id, v.status)`));
      const actual = key((await asReader(who, versions)).rows);
      expect(actual, `notice versions seen by ${who}`).toEqual(expected);
      seen.set(who, actual);
    }
    // The comparison has something to compare: the states above separate the personas.
    const v = (k: string, n: number) => `${fixture[k]}/${n}`;
    const total = Number((await t.sql(`select count(*)::int n from app.notice_versions`)).rows[0].n);
    expect(seen.get('admin')).toHaveLength(total - 1); // everything but the unrecorded publication
    for (const who of everyone) expect(seen.get(who)).not.toContain(v('unrecordedPublication', 1));
    expect(seen.get('resident')).toContain(v('scheduledPast', 1));
    expect(seen.get('resident')).not.toContain(v('scheduled', 1));
    expect(seen.get('clerk')).not.toContain(v('scheduled', 1));
    expect(seen.get('supervisor')).toContain(v('scheduled', 1));
    expect(seen.get('resident')).not.toContain(v('grid2', 1)); // 第一网格
    expect(seen.get('supervisor')).toContain(v('grid2', 1)); // staff of the community (and a resident of 第二网格)
    expect(seen.get('grid_worker')).toContain(v('grid2', 1));
    expect(seen.get('volunteer')).toContain(v('grid2', 1)); // a resident of 第二网格
    expect(seen.get('volunteer')).not.toContain(v('scheduledGrid2', 1));
    expect(seen.get('supervisor')).toContain(v('scheduledGrid2', 1));
    expect(seen.get('committee')).toContain(v('draft', 1));
    expect(seen.get('supervisor')).not.toContain(v('draft', 1));
    expect(seen.get('supervisor')).toContain(v('underReview', 1));
    expect(seen.get('supervisor')).toContain(v('returned', 1));
    expect(seen.get('clerk')).not.toContain(v('underReview', 1));
    expect(seen.get('resident')).toContain(v('correctionUnderReview', 1));
    expect(seen.get('resident')).not.toContain(v('correctionUnderReview', 2));
    expect(seen.get('supervisor')).toContain(v('correctionReturned', 2));
    expect(seen.get('village_committee')).toContain(v('villageReturned', 1));
    expect(seen.get('supervisor')).not.toContain(v('villageUnderReview', 1));
    expect(seen.get(villageSupervisor)).toContain(v('villageUnderReview', 1));
    expect(seen.get(villageSupervisor)).not.toContain(v('underReview', 1));
    expect(seen.get('newcomer')).toEqual([]);
  });

  it('show every persona exactly the notices they could read before', async () => {
    const old = `select n.id from app.notices n
                  where app.can_read_notice(n.id) or app.has_role(n.community_id, '{committee,admin}')
                     or (app.has_role(n.community_id, '{supervisor}')
                         and exists (select 1 from app.notice_versions v where v.notice_id = n.id and v.status in ('submitted', 'returned')))`;
    for (const who of [...everyone, villageSupervisor]) {
      const expected = (await reference(who, old)).map((r) => r.id).sort();
      const actual = (await asReader(who, 'select id from app.notices')).rows.map((r) => r.id).sort();
      expect(actual, `notices seen by ${who}`).toEqual(expected);
    }
    // Supervisors see a notice that was never published only while it is under review or returned.
    const supervisor = (await t.sqlAs('supervisor', 'select id from app.notices')).rows.map((r) => r.id);
    expect(supervisor).toEqual(expect.arrayContaining([fixture.underReview, fixture.returned]));
    expect(supervisor).not.toContain(fixture.draft);
  });

  it('show every persona exactly the read receipts and finance lines they could see before', async () => {
    const reads = 'select notice_id, profile_id from app.notice_reads r';
    const oldReads = `${reads} where r.profile_id = auth.uid() or exists (
                        select 1 from app.notices n where n.id = r.notice_id and app.has_role(n.community_id, '{committee,grid_worker,admin}'))`;
    const lines = 'select notice_id, version, line_no from app.finance_lines l';
    const oldLines = `${lines} where exists (select 1 from app.notice_versions v
                        where v.notice_id = l.notice_id and v.version = l.version and app.can_see_version(v.notice_id, v.status))`;
    const key = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).join('/')).sort();
    for (const who of [...everyone, villageSupervisor]) {
      expect(key((await asReader(who, reads)).rows), `reads seen by ${who}`).toEqual(key(await reference(who, oldReads)));
      expect(key((await asReader(who, lines)).rows), `finance lines seen by ${who}`).toEqual(key(await reference(who, oldLines)));
    }
    expect((await t.sqlAs('grid_worker', reads)).rows.length).toBeGreaterThan((await t.sqlAs('resident', reads)).rows.length);
    expect((await t.sqlAs('clerk', reads)).rows.map((r) => r.profile_id)).toEqual([]);
  });
});

// ---------------------------------------------------------------- the home page's emergencies

describe('emergencies on the home page', () => {
  it('are the unread ones in force that the reader may see, newest first, at most 5', async () => {
    const expected = async (who: PersonaName) =>
      (
        await reference(
          who,
          `
      select n.id from app.notices n
       where n.community_id = '${community.chunhui}' and n.category = 'emergency' and app.can_read_notice(n.id)
         and n.shown_at <= now() and (n.expires_at is null or n.expires_at > now())
         and not exists (select 1 from app.notice_reads r where r.notice_id = n.id and r.profile_id = auth.uid())
       order by n.shown_at desc limit 5`,
        )
      ).map((r) => r.id);
    const shown = async (who: PersonaName) =>
      ((await t.as(who)('get_notice_home', { p_community_id: community.chunhui })).emergencies as { id: string }[]).map((e) => e.id);

    expect(await shown('resident2')).toEqual(await expected('resident2'));
    expect(await shown('resident2')).toEqual(expect.arrayContaining([fixture.emergencyOpen, fixture.emergencyUntilTomorrow]));
    expect(await shown('resident2')).not.toContain(fixture.emergencyOver);
    expect(await shown('resident2')).not.toContain(fixture.emergencyLater);
    expect(await shown('resident')).not.toContain(fixture.emergencyOpen); // read in the fixtures
    expect(await shown('resident')).toEqual(await expected('resident'));

    // Six more in force: the newest five.
    for (let i = 0; i < 6; i++)
      await t.as('committee')('submit_notice', {
        p_notice_id: (
          await t.as('committee')('create_notice', {
            p_community_id: community.chunhui,
            p_category: 'emergency',
            p_content: { title: `测试：紧急 ${i}`, body: '正文' },
          })
        ).id,
      });
    for (const who of ['resident', 'resident2', 'clerk', 'committee', 'admin'] as const) {
      const e = await shown(who);
      expect(e).toHaveLength(5);
      expect(e, `emergencies for ${who}`).toEqual(await expected(who));
    }
    expect(await shown('villager')).toEqual([]);
  });

  it('are read from the emergency index in the function’s generic plan', async () => {
    const client = await t.pool.connect();
    const plans: string[] = [];
    const onNotice = (n: { message?: string }) => plans.push(n.message ?? '');
    client.on('notice', onNotice);
    try {
      await client.query('begin');
      await client.query(`load 'auto_explain'`);
      // The seeded table is tiny: without this a sequential scan is cheapest and says nothing about the indexes.
      await client.query(`set local enable_seqscan = off; set local auto_explain.log_nested_statements = on;
                          set local auto_explain.log_level = notice; set local auto_explain.log_min_duration = 0`);
      await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify(userClaims(persona.resident2)),
      ]);
      await client.query('select public.get_notice_home($1)', [community.chunhui]);
      await client.query('rollback');
    } finally {
      client.off('notice', onNotice);
      client.release();
    }
    const home = plans.find((p) => p.includes("'emergencies'") && p.includes('jsonb_build_object'));
    expect(home, 'the plan of get_notice_home’s statement').toBeDefined();
    // The emergencies section is the materialized CTE; it must read the emergency index (with real statistics
    // its two ranges, expires_at is null and expires_at > now(); on this tiny table the whole community's
    // entries), never walk the community's notices by date.
    const cte = home!.slice(home!.indexOf('CTE in_force'), home!.indexOf('CTE Scan on in_force'));
    expect(cte).toMatch(/Scan (on|using) notices_emergency_idx[\s\S]*Index Cond: \(\(?community_id = \$1\)/);
    expect(cte).not.toMatch(/notices_shown_idx|notices_category_shown_idx|Seq Scan on notices/);
  });
});

// ---------------------------------------------------------------- helpers

describe('list_helpers', () => {
  it('lists the grid workers, then the volunteers who are not grid workers, by name and id, page after page', async () => {
    // The grid worker volunteers too; two more volunteers share a name; one volunteers in 柳塘村 only.
    const twins = ['60000000-0000-4000-8000-0000000000f1', '60000000-0000-4000-8000-0000000000f2'];
    for (const id of twins) {
      await t.sql(`insert into app.profiles (id, display_name, real_name) values ($1, '小王', '王芳')`, [id]);
      await t.sql(`insert into app.volunteer_profiles (profile_id, community_id) values ($1, $2)`, [id, community.chunhui]);
    }
    await t.sql(`insert into app.volunteer_profiles (profile_id, community_id) values ($1, $2), ($3, $4)`, [
      persona.grid_worker,
      community.chunhui,
      persona.villager,
      community.liutang,
    ]);

    // The definition this replaced, as the owner.
    const expected = (
      await t.sql(
        `
      select p.id, coalesce(p.real_name, p.display_name) as name,
             case when exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = $1 and m.role = 'grid_worker')
                  then '网格员' else '志愿者' end as kind
        from app.profiles p
       where exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = $1 and m.role = 'grid_worker')
          or exists (select 1 from app.volunteer_profiles v where v.profile_id = p.id and v.community_id = $1)
       order by case when exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = $1 and m.role = 'grid_worker')
                     then 0 else 1 end, 2, 1`,
        [community.chunhui],
      )
    ).rows;
    expect(expected.map((h) => h.id)).toEqual(expect.arrayContaining([persona.grid_worker, persona.volunteer, ...twins]));
    expect(expected.filter((h) => h.id === persona.grid_worker)).toEqual([expect.objectContaining({ kind: '网格员' })]);

    for (const limit of [1, 2, 100]) {
      const got: unknown[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: unknown[]; nextCursor: string | null } = await t.as('clerk')('list_helpers', {
          p_community_id: community.chunhui,
          p_limit: limit,
          p_cursor: cursor,
        });
        expect(page.items.length).toBeLessThanOrEqual(limit);
        got.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(got, `pages of ${limit}`).toEqual(expected);
    }
    expect((await t.as('committee')('list_helpers', { p_community_id: community.chunhui, p_limit: 100 })).items).toEqual(expected);
  });

  it('refuses residents, grid workers and another community’s committee', async () => {
    for (const who of ['resident', 'grid_worker', 'village_committee'] as const) {
      await expectRefused(t.as(who)('list_helpers', { p_community_id: community.chunhui }), 'core.forbidden');
    }
  });
});
