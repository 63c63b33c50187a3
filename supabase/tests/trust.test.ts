import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectRefused, testDb, userClaims } from '../../test/db.js';
import { building, community, persona } from '../../test/personas.js';
import { repoRoot } from '../../scripts/lib/migrate.js';
import { canonicalJson, contentHash, verifyChain, type ChainExport } from '../../miniapp/src/lib/chain.js';
import type { Caller } from '../../api/_lib/db.js';

// Trust (migrations 20261130005000_trust, 20261130005100_trust_personal): the public record chain, a
// person's own data, deleting an account, who looked at whose data, and retention.

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const { chunhui, liutang } = community;
const residence = 'd1000000-0000-4000-8000-000000000001'; // 居住证明 (春晖): name, idNumber, purpose, phone, proof
const sixStep = 'e1000000-0000-4000-8000-000000000001';

/** The whole chain of a community, as the public page exports it (every page). */
async function exportChain(communityId: string, maxBytes?: number, pages?: Array<{ entries: number; bytes: number }>): Promise<ChainExport> {
  let from: number | null = 1;
  let first: ChainExport | null = null;
  const entries: ChainExport['entries'] = [];
  while (from !== null) {
    const page: ChainExport & { nextFromSeq: number | null } = await t.service('export_public_chain', {
      p_community_id: communityId,
      p_from_seq: from,
      p_limit: 7,
      ...(maxBytes ? { p_max_bytes: maxBytes } : {}),
    });
    first ??= page;
    entries.push(...page.entries);
    pages?.push({ entries: page.entries.length, bytes: page.entries.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0) });
    from = page.nextFromSeq;
  }
  return { ...first!, entries };
}

const chainRows = async (communityId: string) =>
  (await t.sql(`select seq::int, kind, record_id, hash, prev_hash from app.chain_entries where community_id = $1 order by seq`, [communityId])).rows;

/** Runs raw SQL as the superuser with every trigger off (what someone with the database password could do). */
async function behindTheBack(sql: string, values: unknown[] = []) {
  const client = await t.pool.connect();
  try {
    await client.query('begin');
    await client.query(`set local session_replication_role = replica`);
    await client.query(sql, values);
    await client.query('commit');
  } finally {
    client.release();
  }
}

const run = promisify(execFile);
/** `npm run verify -- <file>` (the script itself, without npm): exit code and output. */
async function verifyScript(exp: unknown, ...extra: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cunju-verify-'));
  const file = path.join(dir, 'export.json');
  writeFileSync(file, JSON.stringify(exp));
  try {
    const r = await run(process.execPath, [path.join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), path.join(repoRoot, 'scripts/verify.ts'), file, ...extra]);
    return { code: 0, out: r.stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

async function newNotice(who: string, communityId: string, title: string, extra: Record<string, unknown> = {}) {
  const n = await t.as(who)('create_notice', {
    p_community_id: communityId,
    p_category: 'routine',
    p_content: { title, body: `${title}：请各位居民留意。` },
    ...extra,
  });
  return n.id as string;
}

// ---------------------------------------------------------------- the canonical form

describe('the hash recipe', () => {
  it('is computed identically by SQL and by the TypeScript checker', async () => {
    const samples = [
      { b: [1, -2, 0, 9007199254740991], a: null, é: true, Z: {}, '😀': 'x', '\uffff': false },
      { s: 'a\u0001\b\f\n\r\t"\\/\u007f\u2028 é 😀 中文', n: [[], {}, ''] },
      '只是一个字符串',
      42,
      true,
      null,
      [],
    ];
    for (const v of samples) {
      const sql = (await t.sql(`select app.canonical_json($1::jsonb) c, app.sha256_hex(app.canonical_json($1::jsonb)) h`, [JSON.stringify(v)])).rows[0];
      expect(sql.c).toBe(canonicalJson(v));
      expect(sql.h).toBe(contentHash(v));
    }
    // Keys by code point, no spaces; fractions are refused (records write them as strings first).
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
    expect(() => canonicalJson({ x: 1.5 })).toThrow();
    await expect(t.sql(`select app.canonical_json('{"x": 1.5}')`)).rejects.toThrow(/trust.unsupported_number/);
    expect((await t.sql(`select app.chain_normalize('{"w": 1.5, "h": 2.0, "n": [3]}') v`)).rows[0].v).toEqual({ w: '1.5', h: 2, n: [3] });
  });
});

// ---------------------------------------------------------------- the chain

describe('the public record chain', () => {
  it('holds what the demo published, and the checker finds it intact', async () => {
    await t.service('append_due_public_records', {});
    const rows = await chainRows(chunhui);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    // Notices for the whole community (a grid's own notice is not a public record), both versions of the
    // corrected one, October's 积分公示, the closed poll; not the notice under review nor the draft.
    expect(rows.map((r) => r.record_id)).toEqual(
      expect.arrayContaining([
        'a1000000-0000-4000-8000-000000000001:1',
        'a1000000-0000-4000-8000-000000000001:2',
        'a1000000-0000-4000-8000-000000000003:1',
        'b4000000-0000-4000-8000-000000000001',
        'e4000000-0000-4000-8000-000000000002',
      ]),
    );
    for (const missing of [
      'a1000000-0000-4000-8000-000000000002:1',
      'a1000000-0000-4000-8000-000000000006:1',
      'a1000000-0000-4000-8000-000000000007:1',
      'e4000000-0000-4000-8000-000000000001',
    ]) {
      expect(rows.map((r) => r.record_id)).not.toContain(missing);
    }
    const exp = await exportChain(chunhui);
    expect(exp.entries).toHaveLength(rows.length);
    expect(verifyChain(exp)).toEqual({ ok: true, checked: rows.length, broken: null });
    expect(verifyChain(await exportChain(liutang)).ok).toBe(true);
    // Pages also stop at a byte budget (always one entry): the pages join into the same file, which verifies.
    const pages: Array<{ entries: number; bytes: number }> = [];
    const budgeted = await exportChain(chunhui, 2048, pages);
    expect(budgeted.entries).toEqual(exp.entries);
    expect(pages.length).toBeGreaterThan(Math.ceil(rows.length / 7));
    for (const p of pages) {
      expect(p.entries).toBeGreaterThan(0);
      if (p.entries > 1) expect(p.bytes).toBeLessThan(2048 + 4096); // the last entry may cross the budget
    }
    expect(verifyChain(budgeted)).toEqual({ ok: true, checked: rows.length, broken: null });
    // The finance disclosure carries its lines, in fen.
    const finance = exp.entries.find((e) => e.recordId === 'a1000000-0000-4000-8000-000000000003:1')!.content as { financeLines: { amountFen: number }[] };
    expect(finance.financeLines.map((l) => l.amountFen)).toEqual([360000, 184500, 126800, 190000, 85600]);
    // The 积分公示 carries no names.
    const month = exp.entries.find((e) => e.kind === 'points_month')!;
    expect(JSON.stringify(month.content)).not.toMatch(/陈晓雨|李志强/);
  });

  it('appends a notice when it is published for the whole community; a grid notice never, a scheduled one when its time comes', async () => {
    const before = (await chainRows(chunhui)).length;
    const whole = await newNotice('committee', chunhui, '全体居民：周六停电检修');
    const draft = await chainRows(chunhui);
    expect(draft).toHaveLength(before); // a draft is not public
    await t.as('committee')('submit_notice', { p_notice_id: whole });
    const grid = await newNotice('committee', chunhui, '第一网格：楼道清理', { p_audience_grid_ids: ['30000000-0000-4000-8000-000000000001'] });
    await t.as('committee')('submit_notice', { p_notice_id: grid });
    const later = await newNotice('committee', chunhui, '明天发布的通知', { p_publish_at: new Date(Date.now() + 3600_000).toISOString() });
    await t.as('committee')('submit_notice', { p_notice_id: later });
    let rows = await chainRows(chunhui);
    expect(rows.slice(before).map((r) => r.record_id)).toEqual([`${whole}:1`]);
    expect(await t.service('append_due_public_records', {})).toEqual({ appended: 0 });
    await t.sql(`update app.notices set publish_at = now() - interval '1 minute' where id = $1`, [later]);
    expect(await t.service('append_due_public_records', {})).toEqual({ appended: 1 });
    rows = await chainRows(chunhui);
    expect(rows.slice(before).map((r) => r.record_id)).toEqual([`${whole}:1`, `${later}:1`]);
    // A correction is a new version, a new entry; the old entry stays.
    await t.as('committee')('correct_notice', {
      p_notice_id: whole,
      p_content: { title: '全体居民：周日停电检修', body: '改到周日。' },
      p_correction_note: '日期改为周日',
    });
    expect((await chainRows(chunhui)).at(-1)!.record_id).toBe(`${whole}:2`);
    const found = await t.service('find_public_record', { p_community_id: chunhui, p_kind: 'notice', p_record_id: `${whole}:2` });
    expect(found.entry.seq).toBe((await chainRows(chunhui)).length);
    await expectRefused(t.service('find_public_record', { p_community_id: chunhui, p_kind: 'notice', p_record_id: `${grid}:1` }), 'trust.entry_not_found');
    expect(verifyChain(await exportChain(chunhui)).ok).toBe(true);
  });

  it('appends a decision with its meeting tallies, a 积分公示 month, an upheld objection, and a poll result once closed', async () => {
    const topic = 'e3000000-0000-4000-8000-000000000001';
    await t.as('committee')('take_up_topic', { p_topic_id: topic, p_template_id: sixStep });
    const step = (who: string, minutes = '同意') => t.as(who)('run_topic_step', { p_topic_id: topic, p_minutes: minutes });
    await step('committee');
    await step('committee');
    const roster = async (tag: string) =>
      (await t.sql(`select profile_id from app.member_tags where community_id = $1 and tag = $2`, [chunhui, tag])).rows.map((r) => r.profile_id);
    await t.as('committee')('record_meeting', {
      p_topic_id: topic,
      p_motion: '更换健身器材',
      p_attendee_ids: (await roster('party_member')).slice(0, 7),
      p_yes: 7,
      p_no: 0,
      p_abstain: 0,
    });
    await step('committee');
    await t.as('committee')('record_meeting', {
      p_topic_id: topic,
      p_motion: '用公共收益更换健身器材',
      p_attendee_ids: (await roster('representative')).slice(0, 9),
      p_yes: 8,
      p_no: 1,
      p_abstain: 0,
    });
    await step('committee');
    await step('supervisor');
    const decided = await step('committee', '公示 7 天');
    const pub = decided.publications[0];
    const entry = await t.service('find_public_record', { p_community_id: chunhui, p_kind: 'affairs', p_record_id: pub.id });
    const full = await t.service('get_public_chain_entry', { p_community_id: chunhui, p_seq: entry.entry.seq });
    expect(full.entry.content.meetings.map((m: { yes: number; present: number }) => [m.present, m.yes])).toEqual([
      [7, 7],
      [9, 8],
    ]);
    expect(full.entry.content.publicationSha256).toBe(pub.contentSha256);

    // 积分公示 of September, an objection upheld.
    const p = randomUUID();
    await t.sql(`insert into app.profiles (id, display_name) values ($1, '链测试')`, [p]);
    await t.sql(
      `insert into app.memberships (profile_id, community_id, role, household_id) values ($1, $2, 'resident', '50000000-0000-4000-8000-000000000002')`,
      [p, chunhui],
    );
    await t.sql(`insert into app.point_accounts (profile_id, community_id, balance) values ($1, $2, 20)`, [p, chunhui]);
    await t.sql(
      `insert into app.point_entries (profile_id, community_id, delta, kind, reason, idempotency_key, month) values
                 ($1, $2, 12, 'service', '九月服务', 'chain-1', '2026-09-01'), ($1, $2, 8, 'award', '九月奖励', 'chain-2', '2026-09-01')`,
      [p, chunhui],
    );
    const month = await t.as('committee')('publish_points_month', { p_community_id: chunhui, p_month: '2026-09-01' });
    const monthEntry = await t.service('find_public_record', { p_community_id: chunhui, p_kind: 'points_month', p_record_id: month.id });
    expect(monthEntry.entry.kind).toBe('points_month');
    const award = month.entries.find((e: { reason: string }) => e.reason === '九月奖励');
    const dismissed = await t.as('resident2')('object_to_points', { p_entry_id: month.entries[0].id, p_reason: '九月服务时长好像不对' });
    await t.as('committee')('resolve_points_objection', { p_objection_id: dismissed.id, p_uphold: false, p_resolution: '核实无误' });
    const o = await t.as('resident')('object_to_points', { p_entry_id: award.id, p_reason: '那天他根本不在，奖励不实' });
    await t.as('committee')('resolve_points_objection', { p_objection_id: o.id, p_uphold: true, p_resolution: '经核实当天不在现场，撤销奖励' });
    await expectRefused(t.service('find_public_record', { p_community_id: chunhui, p_kind: 'objection', p_record_id: dismissed.id }), 'trust.entry_not_found');
    const upheld = await t.service('find_public_record', { p_community_id: chunhui, p_kind: 'objection', p_record_id: o.id });
    const upheldFull = await t.service('get_public_chain_entry', { p_community_id: chunhui, p_seq: upheld.entry.seq });
    expect(upheldFull.entry.content).toMatchObject({ status: 'upheld', resolution: '经核实当天不在现场，撤销奖励', entry: [award.id, 8, 'award', '九月奖励'] });
    expect(upheldFull.entry.content.reversal[1]).toBe(-8);
    expect(JSON.stringify(upheldFull.entry.content)).not.toContain('根本不在'); // the objector's own words stay out

    // A poll joins once it has closed (the scheduled job), with its tally and nothing about who voted what.
    const poll = await t.as('committee')('create_poll', {
      p_community_id: chunhui,
      p_title: '楼道灯改声控吗',
      p_description: '',
      p_options: ['改', '不改'],
      p_multiple: false,
      p_electorate: 'residents',
      p_live_results: false,
      p_opens_at: null,
      p_closes_at: new Date(Date.now() + 3600_000).toISOString(),
    });
    await t.as('resident')('cast_vote', { p_poll_id: poll.id, p_choices: [1], p_idempotency_key: randomUUID() });
    await t.as('resident2')('cast_vote', { p_poll_id: poll.id, p_choices: [2], p_idempotency_key: randomUUID() });
    expect(await t.service('append_due_public_records', {})).toEqual({ appended: 0 });
    await t.sql(`update app.polls set opens_at = now() - interval '1 hour', closes_at = now() - interval '1 second' where id = $1`, [poll.id]);
    expect(await t.service('append_due_public_records', {})).toEqual({ appended: 1 });
    const pollEntry = await t.service('find_public_record', { p_community_id: chunhui, p_kind: 'poll_result', p_record_id: poll.id });
    const pollFull = await t.service('get_public_chain_entry', { p_community_id: chunhui, p_seq: pollEntry.entry.seq });
    expect(pollFull.entry.content).toMatchObject({
      turnout: 2,
      results: [
        { id: 1, votes: 1 },
        { id: 2, votes: 1 },
      ],
    });
    expect(verifyChain(await exportChain(chunhui)).ok).toBe(true);
  });

  it('is append-only for everyone, the owner included', async () => {
    const [first] = await chainRows(chunhui);
    await expect(t.sql(`update app.chain_entries set hash = repeat('a', 64) where community_id = $1 and seq = 1`, [chunhui])).rejects.toThrow(
      /core.append_only/,
    );
    await expect(t.sql(`delete from app.chain_entries where community_id = $1 and seq = 1`, [chunhui])).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`truncate app.chain_entries`)).rejects.toThrow(/core.append_only/);
    expect((await chainRows(chunhui))[0]).toEqual(first);
    // And nobody but the chain functions writes it: residents hold no write grant, the API roles no execute on the appender.
    await expect(
      t.sqlAs(
        'committee',
        `insert into app.chain_entries (community_id, seq, at, kind, record_id, content_hash, prev_hash, hash)
      values ($1, 999, now(), 'notice', 'x:1', repeat('0', 64), repeat('0', 64), repeat('0', 64))`,
        [chunhui],
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(t.sqlAs('committee', `select app.chain_append($1, 'notice', 'x:1')`, [chunhui])).rejects.toThrow(/permission denied/);
    for (const fn of ['get_public_chain', 'export_public_chain', 'append_due_public_records']) {
      const r = (
        await t.sql(
          `select has_function_privilege('authenticated', p.oid, 'execute') a, has_function_privilege('anon', p.oid, 'execute') n
                                from pg_proc p where p.proname = $1 and p.pronamespace = 'public'::regnamespace`,
          [fn],
        )
      ).rows[0];
      expect(r).toEqual({ a: false, n: false });
    }
  });

  it("lets members read their own community's chain rows, nobody else's", async () => {
    const mine = (await t.sqlAs('resident', `select distinct community_id from app.chain_entries`)).rows.map((r) => r.community_id);
    expect(mine).toEqual([chunhui]);
    const village = (await t.sqlAs('villager', `select distinct community_id from app.chain_entries`)).rows.map((r) => r.community_id);
    expect(village).toEqual([liutang]);
  });

  it('never forks under concurrent publications (real connections)', async () => {
    const before = (await chainRows(liutang)).length;
    const ids = [];
    for (let i = 0; i < 16; i++) ids.push(await newNotice('village_committee', liutang, `并发公告 ${i + 1}`));
    // Each submit publishes in its own transaction on its own connection; all commit at about the same time.
    const results = await Promise.allSettled(ids.map((id) => t.as('village_committee')('submit_notice', { p_notice_id: id })));
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const rows = await chainRows(liutang);
    expect(rows).toHaveLength(before + 16);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.slice(before).map((r) => r.record_id))).toEqual(new Set(ids.map((id) => `${id}:1`)));
    expect(verifyChain(await exportChain(liutang)).ok).toBe(true);
  });
});

// ---------------------------------------------------------------- tampering: both checkers name the entry

describe("tampering behind the chain's back", () => {
  it('a changed finance line is found at its entry, by the checker and by npm run verify', async () => {
    const target = (await chainRows(chunhui)).find((r) => r.record_id === 'a1000000-0000-4000-8000-000000000003:1')!;
    const intact = await exportChain(chunhui);
    expect((await verifyScript(intact)).code).toBe(0);
    // Someone with the database password turns 1,900 yuan of 慰问 into 19,000 (the seal trigger is off).
    await behindTheBack(`update app.finance_lines set amount_fen = 1900000 where notice_id = 'a1000000-0000-4000-8000-000000000003' and line_no = 4`);
    const exp = await exportChain(chunhui);
    const r = verifyChain(exp);
    expect(r.ok).toBe(false);
    expect(r.broken).toMatchObject({ seq: target.seq, reason: 'content' });
    expect(r.checked).toBe(target.seq - 1);
    const cli = await verifyScript(exp);
    expect(cli.code).toBe(1);
    expect(cli.out).toContain(`第 ${target.seq} 条记录的内容和公开时登记的不一致`);
    expect(cli.out).toContain(`first broken entry: ${target.seq} (content)`);
    await behindTheBack(`update app.finance_lines set amount_fen = 190000 where notice_id = 'a1000000-0000-4000-8000-000000000003' and line_no = 4`);
    expect(verifyChain(await exportChain(chunhui)).ok).toBe(true);
  });

  it('a rewritten entry, a removed entry and a cut-off end are found too; paper catches a rewritten chain', async () => {
    const rows = await chainRows(chunhui);
    const mid = rows[2]!;
    // The entry itself rewritten (its record's hash swapped): its own hash no longer fits.
    await behindTheBack(`update app.chain_entries set content_hash = repeat('b', 64) where community_id = $1 and seq = $2`, [chunhui, mid.seq]);
    expect(verifyChain(await exportChain(chunhui)).broken).toMatchObject({ seq: mid.seq, reason: 'hash' });
    expect((await verifyScript(await exportChain(chunhui))).out).toContain(`first broken entry: ${mid.seq} (hash)`);
    const full = await t.service('get_public_chain_entry', { p_community_id: chunhui, p_seq: mid.seq });
    await behindTheBack(`update app.chain_entries set content_hash = $3 where community_id = $1 and seq = $2`, [
      chunhui,
      mid.seq,
      contentHash(full.entry.content),
    ]);
    expect(verifyChain(await exportChain(chunhui)).ok).toBe(true);

    // An entry removed from the middle.
    const saved = (await t.sql(`select row_to_json(e)::text j from app.chain_entries e where community_id = $1 and seq = $2`, [chunhui, mid.seq])).rows[0].j;
    await behindTheBack(`delete from app.chain_entries where community_id = $1 and seq = $2`, [chunhui, mid.seq]);
    expect(verifyChain(await exportChain(chunhui)).broken).toMatchObject({ seq: mid.seq + 1, reason: 'sequence' });
    await behindTheBack(`insert into app.chain_entries select (json_populate_record(null::app.chain_entries, $1::json)).*`, [saved]);
    expect(verifyChain(await exportChain(chunhui)).ok).toBe(true);

    // The end cut off and the head rewritten with it: the export agrees with itself, only paper tells.
    const last = rows.at(-1)!;
    const exp = await exportChain(chunhui);
    const cut = { ...exp, entries: exp.entries.slice(0, -1), head: { ...exp.head!, seq: last.seq - 1, hash: rows.at(-2)!.hash } };
    expect(verifyChain(cut).ok).toBe(true);
    expect(verifyChain(cut, { seq: last.seq, hash: last.hash.slice(0, 16) }).broken).toMatchObject({ reason: 'anchor', seq: last.seq });
    expect(verifyChain(exp, { seq: last.seq, hash: last.hash.slice(0, 16) }).ok).toBe(true);
    const head = `${last.seq}:${last.hash.slice(0, 4)} ${last.hash.slice(4, 8)} ${last.hash.slice(8, 12)} ${last.hash.slice(12, 16)}`;
    expect((await verifyScript(cut, '--anchor', head)).code).toBe(1);
    expect((await verifyScript(exp, '--anchor', head)).code).toBe(0);
    // A head the server publishes that the entries do not reach: the end was cut off.
    expect(verifyChain({ ...exp, entries: exp.entries.slice(0, -1) }).broken).toMatchObject({ reason: 'head' });
    expect((await verifyScript({ nonsense: true })).code).toBe(1);
  });
});

// ---------------------------------------------------------------- who looked at me

describe('who looked at my data', () => {
  let caseId = '';
  beforeAll(async () => {
    const a = await t.as('resident')('submit_application', {
      p_item_id: residence,
      p_form_data: { name: '张秀兰', idNumber: '43010219520312002X', purpose: '办理居住证', phone: '13800001111', proof: '房产证' },
      p_attachments: [],
      p_idempotency_key: randomUUID(),
    });
    caseId = a.id;
  });

  it('records a clerk opening my case (once within ten minutes), not my own reads; I see who, in which role, and when', async () => {
    await t.as('resident')('get_application', { p_application_id: caseId });
    expect((await t.as('resident')('list_my_access_log', {})).items).toEqual([]);
    await t.as('clerk')('get_application', { p_application_id: caseId });
    await t.as('clerk')('get_application', { p_application_id: caseId });
    await t.as('committee')('get_application', { p_application_id: caseId });
    const mine = (await t.as('resident')('list_my_access_log', {})).items;
    expect(mine).toHaveLength(2);
    expect(mine.map((x: { role: string }) => x.role).sort()).toEqual(['clerk', 'committee']);
    const clerkRead = mine.find((x: { role: string }) => x.role === 'clerk');
    expect(clerkRead).toMatchObject({ what: 'case', entity: 'application', entityId: caseId, communityName: '春晖社区' });
    expect(clerkRead.fields).toEqual(['case', 'idcard', 'phone']);
    expect(clerkRead.actor).toMatch(/\*/); // masked
    // Someone else sees nothing of it.
    expect((await t.as('resident2')('list_my_access_log', {})).items).toEqual([]);
    // Refused readers leave no entry.
    await expectRefused(t.as('resident2')('get_application', { p_application_id: caseId }), 'hall.application_not_found');
    expect((await t.as('resident')('list_my_access_log', {})).items).toHaveLength(2);
  });

  it('records staff reading a verification request (name and address) for its applicant', async () => {
    const newcomer = '60000000-0000-4000-8000-000000000011';
    const q = await t.as('committee')('list_verification_requests', { p_community_id: chunhui, p_status: 'pending' });
    expect(q.items.length).toBeGreaterThan(0);
    const log = (await t.as(newcomer)('list_my_access_log', {})).items;
    expect(log).toEqual([expect.objectContaining({ what: 'verification', role: 'committee', fields: ['realName', 'address'] })]);
    // The grid worker's queue is still their grid's requests only.
    const gw = await t.as('grid_worker')('list_verification_requests', { p_community_id: chunhui, p_status: null });
    const all = await t.as('committee')('list_verification_requests', { p_community_id: chunhui, p_status: null });
    expect(gw.items.length).toBeLessThanOrEqual(all.items.length);
    const rlsRows = (await t.sqlAs('grid_worker', `select id from app.verification_requests where community_id = $1`, [chunhui])).rows.map((r) => r.id);
    expect(gw.items.map((x: { id: string }) => x.id).sort()).toEqual(rlsRows.sort());
    expect((await t.as('village_committee')('list_verification_requests', { p_community_id: chunhui, p_status: null })).items).toEqual([]);
  });

  it("shows the community's log to its supervisory committee, not to others", async () => {
    const log = (await t.as('supervisor')('list_access_log', { p_community_id: chunhui })).items;
    expect(log.some((x: { what: string; subject: string }) => x.what === 'case' && x.subject === '张*兰')).toBe(true);
    await expectRefused(t.as('committee')('list_access_log', { p_community_id: chunhui }), 'core.forbidden');
    await expectRefused(t.as('resident')('list_access_log', { p_community_id: chunhui }), 'core.forbidden');
    await expectRefused(t.as('village_committee')('list_access_log', { p_community_id: chunhui }), 'core.community_not_found');
    expect((await t.as('admin')('list_access_log', { p_community_id: chunhui })).items.length).toBe(log.length);
  });
});

// ---------------------------------------------------------------- my data and deleting an account

describe('my data and deleting my account', () => {
  const name = '欧阳测删';
  const phone = '13912345678';
  const openid = `o_trust_${randomUUID().slice(0, 12)}`;
  const idNumber = '110101199003074518';
  let me = '';
  let caseId = '';
  const as = () => t.as(me);

  beforeAll(async () => {
    const signedIn = await t.service('upsert_wechat_profile', { p_openid: openid });
    me = signedIn.profile.id;
    await as()('record_consent', { p_purpose: 'privacy_policy', p_version: '2026-11', p_granted: true });
    await as()('record_consent', { p_purpose: 'phone_number', p_version: '2026-11', p_granted: true });
    const v = await as()('request_verification', {
      p_community_id: chunhui,
      p_building_id: building.chunhui1,
      p_room: '1201',
      p_real_name: name,
      p_relation: '户主',
      p_phone: phone,
      p_note: `我是${name}，电话${phone}`,
    });
    await t.as('committee')('decide_verification', { p_request_id: v.id, p_approve: true });
    const a = await as()('submit_application', {
      p_item_id: residence,
      p_form_data: { name, idNumber, purpose: '就业', phone, proof: `${name}的租赁合同` },
      p_attachments: [],
      p_idempotency_key: randomUUID(),
    });
    caseId = a.id;
    const upload = await as()('create_upload', {
      p_community_id: chunhui,
      p_kind: 'photo',
      p_purpose: 'application',
      p_name: `${name}身份证.jpg`,
      p_size: 1000,
      p_idempotency_key: randomUUID(),
    });
    await t.service('complete_upload', {
      p_file_id: upload.id,
      p_content_type: 'image/jpeg',
      p_size: 900,
      p_sha256: 'a'.repeat(64),
      p_width: 10,
      p_height: 10,
    });
    await as()('attach_files', { p_entity: 'application', p_entity_id: caseId, p_file_ids: [upload.id] });
    await t.as('clerk')('get_application', { p_application_id: caseId });
    await t.as('committee')('award_points', {
      p_profile_id: me,
      p_community_id: chunhui,
      p_points: 100,
      p_reason: '帮邻居修水管',
      p_idempotency_key: randomUUID(),
    });
    await t.sql(`update app.point_publications set window_closes_at = now() - interval '1 day'`);
    await t.sql(`update app.communities set settings = settings || '{"pointsObjectionDays": 0}' where id = $1`, [chunhui]);
    await as()('redeem_goods', { p_goods_id: 'c1000000-0000-4000-8000-000000000003', p_idempotency_key: randomUUID() });
    await as()('sign_up_activity', { p_activity_id: 'b2000000-0000-4000-8000-000000000004', p_idempotency_key: randomUUID() });
    await as()('ask_notice_question', { p_notice_id: 'a1000000-0000-4000-8000-000000000003', p_body: `我是${name}，电话${phone}，想查凭证` });
    const topic = await as()('raise_topic', {
      p_community_id: chunhui,
      p_title: `${name}的建议`,
      p_description: `请联系${name}，电话${phone}，商量装路灯的事。`,
    });
    await as()('comment_on_topic', { p_topic_id: 'e3000000-0000-4000-8000-000000000001', p_body: `${name}同意，电话${phone}` });
    expect(topic.id).toBeTruthy();
  });

  it('gives me everything held about me, and nothing about others or how I voted', async () => {
    const data = await as()('get_my_data', {});
    expect(data.format).toBe('cunju-mydata/1');
    expect(data.profile).toMatchObject({ id: me, realName: name, phone, wechatOpenid: openid });
    expect(data.memberships).toEqual([expect.objectContaining({ community: '春晖社区', role: 'resident', household: '1号楼 1201' })]);
    expect(data.verifications[0]).toMatchObject({ realName: name, phone, status: 'approved' });
    expect(data.consents.map((c: { purpose: string }) => c.purpose)).toEqual(['privacy_policy', 'phone_number']);
    expect(data.cases).toHaveLength(1);
    expect(data.cases[0].formData.idNumber).toBe(idNumber);
    expect(data.cases[0].events[0]).toMatchObject({ to: 'submitted', byMe: true });
    expect(data.files).toEqual([expect.objectContaining({ name: `${name}身份证.jpg`, attachedTo: 'application' })]);
    expect(data.pointEntries.map((e: { delta: number }) => e.delta)).toEqual([100, -10]);
    expect(data.redemptions).toEqual([expect.objectContaining({ goods: '抽纸 6 包', status: 'reserved' })]);
    expect(data.signups).toEqual([expect.objectContaining({ activity: '每周半天：小区文明劝导', status: 'confirmed' })]);
    expect(data.questions[0].body).toContain(phone);
    expect(data.topics[0].title).toBe(`${name}的建议`);
    expect(data.comments[0].body).toContain(name);
    expect(data.accessLog).toEqual([expect.objectContaining({ what: 'case', role: 'clerk' })]);
    expect(data.truncated).toEqual([]);
    // Nothing of anyone else (the seeded residents' names and numbers) and no ballot.
    const text = JSON.stringify(data);
    for (const other of ['张秀兰', '李志强', '43010219520312002X', 'choices']) expect(text).not.toContain(other);
    const resident = await t.as('resident')('get_my_data', {});
    expect(JSON.stringify(resident)).not.toContain(name);
  });

  it('lists open obligations first and refuses when the count the person saw is out of date', async () => {
    const o = await as()('get_my_obligations', {});
    expect(o.items.map((x: { kind: string }) => x.kind).sort()).toEqual(['case', 'redemption', 'signup']);
    expect(o.count).toBe(3);
    await expectRefused(as()('delete_my_account', { p_obligations: 2 }), 'trust.obligations_changed');
    expect((await t.sql(`select deleted_at from app.profiles where id = $1`, [me])).rows[0].deleted_at).toBeNull();
  });

  it('erases every personal field, keeps the records others rely on, and stops the token at once', async () => {
    const stock = (await t.sql(`select stock from app.goods where id = 'c1000000-0000-4000-8000-000000000003'`)).rows[0].stock;
    const done = await as()('delete_my_account', { p_obligations: 3 });
    expect(done.deleted).toBe(true);
    expect(done.storageKeys).toHaveLength(1); // the ID card photo: the server removes the stored object
    // The token signed for the old session version no longer passes.
    await expectRefused(as()('get_me', {}), 'auth.invalid_token');
    const later: Caller = { kind: 'user', sub: me, token: '', claims: { ...userClaims(me), sv: 2 } };
    expect(await t.db.rpc('get_my_obligations', {} as never, later)).toEqual({ count: 0, items: [] });

    // Obligations settled: the case withdrawn (the record stays), the redemption cancelled, the seat freed.
    const c = (await t.sql(`select status, form_data, applicant_id from app.applications where id = $1`, [caseId])).rows[0];
    expect(c).toEqual({ status: 'rejected', form_data: {}, applicant_id: me });
    expect((await t.sql(`select note from app.application_events where application_id = $1 order by id desc limit 1`, [caseId])).rows[0].note).toContain(
      '注销',
    );
    expect((await t.sql(`select stock from app.goods where id = 'c1000000-0000-4000-8000-000000000003'`)).rows[0].stock).toBe(stock + 1);
    expect((await t.sql(`select status from app.activity_signups where profile_id = $1`, [me])).rows.map((r) => r.status)).toEqual(['cancelled']);
    // The ledger keeps its sums; the profile is pseudonymous.
    expect((await t.sql(`select sum(delta)::int s from app.point_entries where profile_id = $1`, [me])).rows[0].s).toBe(100);
    expect((await t.sql(`select display_name, real_name, phone, wechat_openid, persona from app.profiles where id = $1`, [me])).rows[0]).toEqual({
      display_name: '已注销用户',
      real_name: null,
      phone: null,
      wechat_openid: null,
      persona: null,
    });
    expect((await t.sql(`select count(*)::int n from app.memberships where profile_id = $1`, [me])).rows[0].n).toBe(0);
    expect((await t.sql(`select granted from app.consents where profile_id = $1 order by created_at desc, id desc limit 2`, [me])).rows).toEqual([
      { granted: false },
      { granted: false },
    ]);
    expect((await t.as('clerk')('get_application', { p_application_id: caseId })).applicant).toBe('已注销用户');

    // No column of any table in app holds the name, the phone, the openid or the ID number any more.
    const columns = (
      await t.sql(`
      select c.table_name, c.column_name from information_schema.columns c
        join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
       where c.table_schema = 'app' and (c.data_type in ('text', 'character varying', 'jsonb', 'json') or c.udt_name in ('_text', '_varchar'))`)
    ).rows;
    expect(columns.length).toBeGreaterThan(100);
    const needles = [name, phone, openid, idNumber, `${phone.slice(0, 3)}****${phone.slice(-4)}`];
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const n = (await t.sql(`select count(*)::int n from app.${table_name} where ${column_name}::text like any ($1)`, [needles.map((x) => `%${x}%`)])).rows[0]
        .n;
      if (n > 0) found.push(`${table_name}.${column_name}`);
    }
    expect(found).toEqual([]);
    // The scan does find them where they are (the other resident's case above).
    expect((await t.sql(`select count(*)::int n from app.applications where form_data::text like '%43010219520312002X%'`)).rows[0].n).toBeGreaterThan(0);
  });

  it('cannot be undone, by staff or by the owner of the database', async () => {
    await expect(t.sql(`update app.profiles set real_name = $2 where id = $1`, [me, name])).rejects.toThrow(/trust.account_deleted/);
    await expect(t.sql(`update app.profiles set wechat_openid = $2 where id = $1`, [me, openid])).rejects.toThrow(/trust.account_deleted/);
    await expect(t.sql(`update app.profiles set deleted_at = null where id = $1`, [me])).rejects.toThrow(/trust.account_deleted/);
    await expect(t.sql(`insert into app.memberships (profile_id, community_id, role) values ($1, $2, 'resident')`, [me, chunhui])).rejects.toThrow(
      /trust.account_deleted/,
    );
    // Signing in with the same WeChat account again is a new, empty profile.
    const again = await t.service('upsert_wechat_profile', { p_openid: openid });
    expect(again.profile.id).not.toBe(me);
    expect(again.profile.realName).toBeNull();
  });
});

// ---------------------------------------------------------------- retention

describe('retention', () => {
  it('documents a period for every kind and the job enforces the ones that expire', async () => {
    const policy = await t.as('resident')('get_retention_policy', {});
    expect(policy.items.map((x: { kind: string }) => x.kind)).toEqual(
      expect.arrayContaining([
        'rate_limits',
        'outbox',
        'notifications',
        'orphan_files',
        'closed_case_details',
        'closed_verifications',
        'audit_log',
        'public_records',
      ]),
    );
    expect(policy.items.find((x: { kind: string }) => x.kind === 'rate_limits').days).toBe(1);

    const old = randomUUID();
    await t.sql(
      `insert into app.rate_limits (bucket, window_start, hits) values ('auth:203.0.113.9', now() - interval '2 days', 3), ('auth:203.0.113.9', now(), 1)`,
    );
    await t.sql(
      `insert into app.outbox (kind, profile_id, dedupe_key, payload, status, created_at) values
                 ('wechat_subscribe', $1, 'ret-old', '{}', 'sent', now() - interval '40 days'),
                 ('wechat_subscribe', $1, 'ret-pending', '{}', 'pending', now() - interval '40 days'),
                 ('wechat_subscribe', $1, 'ret-new', '{}', 'sent', now())`,
      [persona.resident],
    );
    await t.sql(`insert into app.notifications (profile_id, title, created_at) values ($1, '旧消息', now() - interval '400 days'), ($1, '新消息', now())`, [
      persona.resident,
    ]);
    const a = await t.as('resident2')('submit_application', {
      p_item_id: residence,
      p_form_data: { name: '王建华', idNumber: '430102196505050011', purpose: '就业', proof: '户口本' },
      p_attachments: [],
      p_idempotency_key: randomUUID(),
    });
    const recent = await t.as('resident2')('submit_application', {
      p_item_id: residence,
      p_form_data: { name: '王建华', idNumber: '430102196505050011', purpose: '其他', proof: '户口本' },
      p_attachments: [],
      p_idempotency_key: randomUUID(),
    });
    await t.sql(`update app.applications set status = 'completed', updated_at = now() - interval '3 years 1 day' where id = $1`, [a.id]);
    await t.sql(`update app.applications set status = 'completed', updated_at = now() - interval '2 years' where id = $1`, [recent.id]);
    await t.sql(`insert into app.profiles (id, display_name) values ($1, '旧申请人')`, [old]);
    await t.sql(
      `insert into app.verification_requests (profile_id, community_id, building_id, room, real_name, relation, phone, note, status, decided_at, decision_reason, created_at)
                 values ($1, $2, $3, '101', '赵旧申', '租户', '13700000000', '备注', 'refused', now() - interval '200 days', '不在本楼', now() - interval '200 days')`,
      [old, chunhui, building.chunhui1],
    );

    const r = await t.service('apply_retention', {});
    expect(r).toMatchObject({ rateLimits: 1, outbox: 1, notifications: 1, caseDetails: 1, verifications: 1 });
    expect((await t.sql(`select count(*)::int n from app.rate_limits where bucket = 'auth:203.0.113.9'`)).rows[0].n).toBe(1);
    expect((await t.sql(`select dedupe_key from app.outbox where dedupe_key like 'ret-%' order by 1`)).rows.map((x) => x.dedupe_key)).toEqual([
      'ret-new',
      'ret-pending',
    ]);
    expect((await t.sql(`select title from app.notifications where title in ('旧消息', '新消息')`)).rows.map((x) => x.title)).toEqual(['新消息']);
    expect((await t.sql(`select form_data from app.applications where id = $1`, [a.id])).rows[0].form_data).toEqual({});
    expect((await t.sql(`select form_data->>'name' n from app.applications where id = $1`, [recent.id])).rows[0].n).toBe('王建华');
    expect((await t.sql(`select real_name, phone, note, status from app.verification_requests where profile_id = $1`, [old])).rows[0]).toEqual({
      real_name: '已清除',
      phone: null,
      note: '',
      status: 'refused',
    });
    // A second run finds nothing more, and writes no audit row for nothing.
    const audits = (await t.sql(`select count(*)::int n from app.audit_log where action = 'retention.apply'`)).rows[0].n;
    expect(await t.service('apply_retention', {})).toMatchObject({ rateLimits: 0, outbox: 0, notifications: 0, caseDetails: 0, verifications: 0 });
    expect((await t.sql(`select count(*)::int n from app.audit_log where action = 'retention.apply'`)).rows[0].n).toBe(audits);
    await expect(t.as('resident')('apply_retention', {})).rejects.toThrow();
  });
});
