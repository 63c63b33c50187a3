import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { expectRefused, testDb } from '../../test/db.js';
import { community, persona } from '../../test/personas.js';

let t: Awaited<ReturnType<typeof testDb>>;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const sixStep = 'e1000000-0000-4000-8000-000000000001';
const fourTwo = 'e1000000-0000-4000-8000-000000000002';
const villageSupervisor = '60000000-0000-4000-8000-000000000014';

async function people(n: number, communityId: string, tag: string | null, household: string | null = null): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  await t.sql(`insert into app.profiles (id, display_name) select unnest($1::uuid[]), '议事测试'`, [ids]);
  if (tag) await t.sql(`insert into app.member_tags (profile_id, community_id, tag) select unnest($1::uuid[]), $2, $3`, [ids, communityId, tag]);
  if (household)
    await t.sql(`insert into app.memberships (profile_id, community_id, role, household_id) select unnest($1::uuid[]), $2, 'resident', $3`, [
      ids,
      communityId,
      household,
    ]);
  return ids;
}
// A raised topic passes the content check (as the API settles it) before neighbours can co-sign.
const raise = async (who: string, communityId: string = community.chunhui) => {
  const topic = await t.as(who)('raise_topic', {
    p_community_id: communityId,
    p_title: '东门外乱停车问题',
    p_description: '东门外人行道上每天晚上停满了车，老人推轮椅过不去，建议划线管理。',
  });
  await t.service('settle_topic_check', { p_topic_id: topic.id, p_passed: true, p_provider: 'test' });
  return topic;
};
const run = (who: string, id: string, minutes = '同意') => t.as(who)('run_topic_step', { p_topic_id: id, p_minutes: minutes });

describe('topics and co-signing', () => {
  it('reach the threshold and then need the committee to take them up or answer publicly', async () => {
    const topic = await raise('resident');
    expect(topic.cosigns).toBe(1);
    await expectRefused(t.as('villager')('cosign_topic', { p_topic_id: topic.id }), 'affairs.topic_not_found');
    await expectRefused(t.as('clerk')('cosign_topic', { p_topic_id: topic.id }), 'affairs.resident_required');
    await t.as('resident2')('cosign_topic', { p_topic_id: topic.id });
    const at = await t.as('volunteer')('cosign_topic', { p_topic_id: topic.id });
    expect(at.cosigns).toBe(3);
    expect(at.thresholdReachedAt).not.toBeNull();
    const list = (await t.as('committee')('list_topics', { p_community_id: community.chunhui })).items;
    expect(list.find((x: { id: string }) => x.id === topic.id).awaitingResponse).toBe(true);
    await expectRefused(t.as('resident')('take_up_topic', { p_topic_id: topic.id, p_template_id: sixStep }), 'core.forbidden');
    await expectRefused(t.as('committee')('take_up_topic', { p_topic_id: topic.id, p_template_id: fourTwo }), 'affairs.template_not_found');
    await expectRefused(t.as('committee')('answer_topic', { p_topic_id: topic.id, p_answer: '不办' }), 'affairs.answer_required');
    const answered = await t.as('committee')('answer_topic', { p_topic_id: topic.id, p_answer: '东门外道路属于市政道路，已转交交警中队处理，社区会跟进。' });
    expect(answered.status).toBe('answered');
    await expectRefused(t.as('committee')('take_up_topic', { p_topic_id: topic.id, p_template_id: sixStep }), 'affairs.already_handled');
  });
});

describe('the procedure', () => {
  it('runs in order, each step only by its role, a meeting step only with a passing meeting; send-back needs a reason', async () => {
    const topic = await raise('resident');
    await t.as('committee')('take_up_topic', { p_topic_id: topic.id, p_template_id: sixStep });
    await expectRefused(run('supervisor', topic.id), 'affairs.wrong_role_for_step');
    await run('committee', topic.id, '党委提议划线管理');
    await run('committee', topic.id, '两委同意提交党员大会');
    await expectRefused(run('committee', topic.id), 'affairs.meeting_required');
    await expectRefused(t.as('committee')('send_topic_back', { p_topic_id: topic.id, p_to_step: 3, p_reason: '再议' }), 'affairs.invalid_send_back');
    await expectRefused(t.as('committee')('send_topic_back', { p_topic_id: topic.id, p_to_step: 2, p_reason: '' }), 'core.reason_required');
    const back = await t.as('committee')('send_topic_back', { p_topic_id: topic.id, p_to_step: 2, p_reason: '需要先征求物业意见' });
    expect(back.currentStep).toBe(2);
    await run('committee', topic.id, '已征求物业意见，同意');
    // Party members (9): more than 2/3 means at least 7.
    const party = (await t.sql(`select profile_id from app.member_tags where community_id = $1 and tag = 'party_member'`, [community.chunhui])).rows.map(
      (r) => r.profile_id,
    );
    await expectRefused(
      t.as('committee')('record_meeting', { p_topic_id: topic.id, p_motion: '同意划线', p_attendee_ids: party.slice(0, 6), p_yes: 6, p_no: 0, p_abstain: 0 }),
      'affairs.quorum_not_met',
    );
    await expectRefused(
      t.as('committee')('record_meeting', {
        p_topic_id: topic.id,
        p_motion: '同意划线',
        p_attendee_ids: [...party.slice(0, 6), persona.villager],
        p_yes: 6,
        p_no: 0,
        p_abstain: 0,
      }),
      'affairs.not_in_roster',
    );
    const m = await t.as('committee')('record_meeting', {
      p_topic_id: topic.id,
      p_motion: '同意划线',
      p_attendee_ids: party.slice(0, 7),
      p_yes: 6,
      p_no: 1,
      p_abstain: 0,
    });
    expect(m).toMatchObject({ rosterSize: 9, present: 7, passed: true });
    await run('committee', topic.id, '党员大会审议通过');
    const reps = (await t.sql(`select profile_id from app.member_tags where community_id = $1 and tag = 'representative'`, [community.chunhui])).rows.map(
      (r) => r.profile_id,
    );
    await t.as('committee')('record_meeting', {
      p_topic_id: topic.id,
      p_motion: '东门外划线停车',
      p_attendee_ids: reps.slice(0, 9),
      p_yes: 8,
      p_no: 1,
      p_abstain: 0,
    });
    await run('committee', topic.id, '居民代表大会决议通过');
    await expectRefused(run('committee', topic.id), 'affairs.wrong_role_for_step');
    await run('supervisor', topic.id, '程序合规，同意公示');
    const decided = await run('committee', topic.id, '公示 7 天');
    expect(decided.status).toBe('decided');
    expect(decided.publications).toHaveLength(1);
    const pub = decided.publications[0];
    expect(pub.kind).toBe('decision');
    expect(pub.body).toContain('应到 12 人，实到 9 人；赞成 8，反对 1，弃权 0');
    expect(pub.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const seen = (await t.as('resident2')('list_affairs_publications', { p_community_id: community.chunhui })).items;
    expect(seen.map((p: { id: string }) => p.id)).toContain(pub.id);
    expect(await t.as('villager')('list_affairs_publications', { p_community_id: community.chunhui })).toEqual({ items: [], nextCursor: null });

    // Published records never change; a correction is a new record pointing to the old one.
    await expect(t.sql(`update app.affairs_publications set body = '改了' where id = $1`, [pub.id])).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`delete from app.affairs_publications where id = $1`, [pub.id])).rejects.toThrow(/core.append_only/);
    await expect(t.sql(`delete from app.meetings where topic_id = $1`, [topic.id])).rejects.toThrow(/core.append_only/);
    const fix = await t.as('committee')('publish_topic_result', {
      p_topic_id: topic.id,
      p_body: '更正：赞成 8 票，反对 1 票（原文无误，补充表决方式为举手）',
      p_corrects: pub.id,
    });
    expect(fix.corrects).toBe(pub.id);
    const result = await t.as('committee')('publish_topic_result', { p_topic_id: topic.id, p_body: '11月30日已完成东门外 24 个车位划线。' });
    expect(result.kind).toBe('result');
    await expectRefused(t.as('resident')('publish_topic_result', { p_topic_id: topic.id, p_body: '我来公示' }), 'core.forbidden');
  });
});

describe('quorum and majority boundaries (roster of 30)', () => {
  let topic = '';
  let roster: string[] = [];
  beforeAll(async () => {
    roster = [
      ...(await t.sql(`select profile_id from app.member_tags where community_id = $1 and tag = 'representative'`, [community.liutang])).rows.map(
        (r) => r.profile_id,
      ),
      ...(await people(25, community.liutang, 'representative')),
    ];
    expect(roster).toHaveLength(30);
    await people(7, community.liutang, 'party_member');
    const tp = await raise('villager', community.liutang);
    topic = tp.id;
    await t.as('village_committee')('take_up_topic', { p_topic_id: topic, p_template_id: fourTwo });
    await run('village_committee', topic);
    await run('village_committee', topic);
    const party = (await t.sql(`select profile_id from app.member_tags where community_id = $1 and tag = 'party_member'`, [community.liutang])).rows.map(
      (r) => r.profile_id,
    );
    await t.as('village_committee')('record_meeting', {
      p_topic_id: topic,
      p_motion: '党员审议',
      p_attendee_ids: party.slice(0, 5),
      p_yes: 5,
      p_no: 0,
      p_abstain: 0,
    });
    await run('village_committee', topic);
  });
  const meet = (present: number, yes: number, no: number, abstain = 0) =>
    t.as('village_committee')('record_meeting', {
      p_topic_id: topic,
      p_motion: '修建村口路灯',
      p_attendee_ids: roster.slice(0, present),
      p_yes: yes,
      p_no: no,
      p_abstain: abstain,
    });

  it('refuses 20 present (not more than 2/3) and accepts 21', async () => {
    await expectRefused(meet(20, 20, 0), 'affairs.quorum_not_met');
    expect((await meet(21, 21, 0)).passed).toBe(true);
  });

  it('fails a tie and passes with one more than half', async () => {
    const tie = await meet(22, 11, 11);
    expect(tie.passed).toBe(false);
    await expectRefused(run('village_committee', topic), 'affairs.motion_not_passed');
    const half = await meet(21, 10, 10, 1);
    expect(half.passed).toBe(false);
    await expectRefused(meet(21, 15, 10), 'affairs.tally_exceeds_attendance');
    const pass = await meet(21, 11, 9, 1);
    expect(pass.passed).toBe(true);
    const after = await run('village_committee', topic, '村民代表会议通过');
    expect(after.currentStep).toBe(5);
    await expectRefused(run(villageSupervisor, topic), 'affairs.wrong_role_for_step');
  });
});

describe('polls', () => {
  const open = 'e4000000-0000-4000-8000-000000000001'; // residents, open
  const closed = 'e4000000-0000-4000-8000-000000000002'; // households, closed
  it('take one ballot per person even under 20 concurrent requests', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.as('resident')('cast_vote', { p_poll_id: open, p_choices: [1 + (i % 4)], p_idempotency_key: `k-${i}-xxxxxxxx` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason.code === 'affairs.already_voted')).toBe(true);
    const n = await t.sql(`select count(*)::int n from app.poll_ballots where poll_id = $1`, [open]);
    expect(n.rows[0].n).toBe(1);
  });

  it('return the first answer to a retry with the same key', async () => {
    await t.as('resident2')('cast_vote', { p_poll_id: open, p_choices: [2], p_idempotency_key: 'retry-key-0001' });
    const again = await t.as('resident2')('cast_vote', { p_poll_id: open, p_choices: [2], p_idempotency_key: 'retry-key-0001' });
    expect(again.voted).toBe(true);
    await expectRefused(t.as('resident2')('cast_vote', { p_poll_id: open, p_choices: [3], p_idempotency_key: 'retry-key-0002' }), 'affairs.already_voted');
    expect((await t.sql(`select count(*)::int n from app.poll_ballots where poll_id = $1`, [open])).rows[0].n).toBe(2);
  });

  it('take one ballot per household in a household poll, even when two members vote at once', async () => {
    const poll = await t.as('committee')('create_poll', {
      p_community_id: community.chunhui,
      p_title: '楼道灯改声控的意见',
      p_description: '',
      p_options: ['同意', '不同意'],
      p_multiple: false,
      p_electorate: 'households',
      p_live_results: true,
      p_opens_at: null,
      p_closes_at: new Date(Date.now() + 86400_000).toISOString(),
    });
    const [a, b] = await people(2, community.chunhui, null, '50000000-0000-4000-8000-000000000001'); // 张秀兰's household
    const r = await Promise.allSettled(
      [a!, b!, 'resident'].map((who, i) => t.as(who)('cast_vote', { p_poll_id: poll.id, p_choices: [1], p_idempotency_key: `hh-${i}-xxxxxxxx` })),
    );
    expect(r.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    const live = await t.as('resident2')('get_poll', { p_poll_id: poll.id });
    expect(live.results[0].votes).toBe(1); // live results were chosen
  });

  it('refuse people outside the electorate, other communities, bad choices and closed polls', async () => {
    const stranger = ((await t.service('upsert_wechat_profile', { p_openid: 'o_unverified_voter' })) as { profile: { id: string } }).profile;
    await expectRefused(t.as(stranger.id)('cast_vote', { p_poll_id: open, p_choices: [1], p_idempotency_key: 'unverified-1' }), 'affairs.poll_not_found');
    await expectRefused(t.as('clerk')('cast_vote', { p_poll_id: open, p_choices: [1], p_idempotency_key: 'clerk-vote-1' }), 'affairs.not_in_electorate');
    await expectRefused(t.as('villager')('cast_vote', { p_poll_id: open, p_choices: [1], p_idempotency_key: 'village-vote-1' }), 'affairs.poll_not_found');
    await expectRefused(t.as('volunteer')('cast_vote', { p_poll_id: open, p_choices: [1, 2], p_idempotency_key: 'multi-1' }), 'affairs.invalid_choice');
    await expectRefused(t.as('volunteer')('cast_vote', { p_poll_id: open, p_choices: [9], p_idempotency_key: 'nine-1' }), 'affairs.invalid_choice');
    await expectRefused(t.as('volunteer')('cast_vote', { p_poll_id: closed, p_choices: [1], p_idempotency_key: 'closed-1' }), 'affairs.poll_closed');
  });

  it('hide results until close, then count them', async () => {
    expect((await t.as('committee')('get_poll', { p_poll_id: open })).results).toBeNull();
    const done = await t.as('resident')('get_poll', { p_poll_id: closed });
    expect(done.results.map((r: { votes: number }) => r.votes)).toEqual([1, 0, 3]);
  });

  it('store nothing that links a voter to a ballot', async () => {
    const cols = await t.sql(`select table_name, column_name from information_schema.columns
                               where table_schema = 'app' and table_name in ('poll_voters', 'poll_ballots') order by table_name, ordinal_position`);
    // The tenant key (the poll's community) is the same on every row of a poll: it links nothing.
    expect(cols.rows).toEqual([
      { table_name: 'poll_ballots', column_name: 'id' },
      { table_name: 'poll_ballots', column_name: 'poll_id' },
      { table_name: 'poll_ballots', column_name: 'choices' },
      { table_name: 'poll_ballots', column_name: 'community_id' },
      { table_name: 'poll_voters', column_name: 'poll_id' },
      { table_name: 'poll_voters', column_name: 'voter_key' },
      { table_name: 'poll_voters', column_name: 'idempotency_key' },
      { table_name: 'poll_voters', column_name: 'community_id' },
    ]);
    await expect(t.sqlAs('committee', 'select * from app.poll_ballots')).rejects.toThrow(/permission denied/);
    await expect(t.sqlAs('committee', 'select * from app.poll_voters')).rejects.toThrow(/permission denied/);
  });
});

describe('the content check of new topics', () => {
  it('shows a topic to neighbours only after it passed; its author and staff see it at once; a rejected one stays with its author', async () => {
    const raw = await t.as('resident')('raise_topic', {
      p_community_id: community.chunhui,
      p_title: '垃圾分类亭太远',
      p_description: '新的垃圾分类亭离6号楼太远，老人扔垃圾要走十分钟，建议增设一个。',
    });
    expect(raw.checkStatus).toBe('pending');
    const ids = async (who: string) =>
      ((await t.as(who)('list_topics', { p_community_id: community.chunhui, p_limit: 100 })).items as { id: string }[]).map((x) => x.id);
    expect(await ids('resident')).toContain(raw.id);
    expect(await ids('committee')).toContain(raw.id);
    expect(await ids('resident2')).not.toContain(raw.id);
    await expectRefused(t.as('resident2')('get_topic', { p_topic_id: raw.id }), 'affairs.topic_not_found');
    await expectRefused(t.as('resident2')('cosign_topic', { p_topic_id: raw.id }), 'affairs.topic_not_found');
    await expectRefused(t.as('resident')('settle_topic_check', { p_topic_id: raw.id, p_passed: true, p_provider: 'me' }), 'core.forbidden');
    await t.service('settle_topic_check', { p_topic_id: raw.id, p_passed: true, p_provider: 'test' });
    expect(await ids('resident2')).toContain(raw.id);
    expect((await t.as('resident2')('cosign_topic', { p_topic_id: raw.id })).cosigns).toBe(2);

    const bad = await t.as('resident')('raise_topic', {
      p_community_id: community.chunhui,
      p_title: '不该给邻居看的议题',
      p_description: '这段文字没有通过内容审核，不能给别人看到。',
    });
    await t.service('settle_topic_check', { p_topic_id: bad.id, p_passed: false, p_provider: 'test' });
    expect(await ids('resident')).toContain(bad.id);
    expect(await ids('resident2')).not.toContain(bad.id);
    await expectRefused(t.service('settle_topic_check', { p_topic_id: bad.id, p_passed: true, p_provider: 'test' }), 'affairs.topic_not_found');
  });

  it('pages the topic list: awaiting an answer first, then newest first, every topic once', async () => {
    for (let i = 0; i < 5; i++) await raise('resident');
    const seen: string[] = [];
    let cursor: string | null = null;
    let awaitingDone = false;
    do {
      const page: { items: { id: string; awaitingResponse: boolean }[]; nextCursor: string | null } = await t.as('committee')('list_topics', {
        p_community_id: community.chunhui,
        p_limit: 2,
        p_cursor: cursor,
      });
      for (const x of page.items as { id: string; awaitingResponse: boolean }[]) {
        if (!x.awaitingResponse) awaitingDone = true;
        else expect(awaitingDone).toBe(false);
        seen.push(x.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await t.sql(`select id from app.topics where community_id = $1`, [community.chunhui])).rows.map((r) => r.id);
    expect(seen.sort()).toEqual(all.sort());
    await expectRefused(t.as('committee')('list_topics', { p_community_id: community.chunhui, p_cursor: 'not-a-cursor' }), 'request.invalid_cursor');
  });
});
