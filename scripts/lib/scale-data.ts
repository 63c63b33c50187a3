import pg from 'pg';

/**
 * Data for the scale benchmark (`npm run bench -- --scale`): a street (街道) of 50 communities with 100,000
 * residents, then a year and a half of what they do, at two sizes. Written as the table owner into a
 * throw-away database that has been migrated and seeded; never into .data/pg.
 *
 * Deterministic: every row is computed from its number with generate_series, md5 and two low-discrepancy
 * sequences (no random()), so every run writes the same rows; only the time axis is anchored at the run's
 * start (`anchor`), because "upcoming", "open" and "last month" are relative to now.
 *
 * Base (both sizes): 青石街道's two seeded communities plus 48 generated ones; per community 5 grids × 20
 * buildings × 10 households, 2,000 resident profiles (2 per household), a committee member, a clerk, a
 * supervisor and 5 grid workers (one per grid), 30 representatives and 20 party members, 10 service items,
 * 10 goods, and 积分公示 for every past month.
 *
 * Child rows: parents are numbered 0, 1, 2, … per table; `small` writes parents [0, n) and `large` adds
 * [n, 100 n), each with its own children, so the large data set is the small one plus more rows, and the
 * community and callers the benchmark uses exist at both sizes. Communities are skewed (generated community
 * 0 is the busiest, ~7 % of all rows; the two seeded ones the quietest), people too (resident 0 of a
 * community is its busiest), and ages are spread evenly over the last 18 months (activities also 30 days
 * ahead).
 *
 * Every row satisfies the schema's constraints, triggers and foreign keys, and the rules the functions
 * enforce where it matters for reading: notices have one sealed, published version (content hash as
 * publish_notice_version computes it), reads and sign-ups come from people in the audience, an activity's
 * seats equal its confirmed sign-ups and past ones are confirmed with minutes, points and the matching
 * 'service' ledger entries; each redemption is paid from an 'award' entry of a month whose 积分公示 window
 * had closed, so every balance is the sum of its entries and never went below zero; goods satisfy
 * stock + reserved + handed_over = total_stocked = sum of recorded restocks; applications move along the
 * allowed edges with one event per step, a notification to the applicant for each staff step, and
 * working-day due dates; polls have one voter row and one unlinked ballot per vote. Write functions'
 * audit rows are written for what the data says happened.
 */

/** Who the benchmark signs in as: generated community 0 (the busiest) and its people. */
export const SCALE_CALLERS = {
  communityId: gid('f1000000', 0),
  resident: gid('f5000000', 0), // resident 0: household 0, grid 0, the community's busiest resident
  committee: gid('f6000000', 0),
  clerk: gid('f6000000', 1),
  supervisor: gid('f6000000', 2),
  gridWorker: gid('f6000000', 3), // grid 0, the resident's grid
} as const;

export type ScaleSize = 'small' | 'large';

/** Parents per factor; small = factor 1, large = factor 100. Children per parent are fixed. */
const PARENTS = { notices: 90, topics: 45, polls: 9, activities: 90, applications: 270, redemptions: 270 } as const;
const FACTOR: Record<ScaleSize, number> = { small: 1, large: 100 };

export interface StepTiming {
  step: string;
  ms: number;
}

function gid(kind: string, n: number): string {
  return `${kind}-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** Session helpers: ids, hashes, the skewed community and person of the n-th row, its age. */
const HELPERS = `
create or replace function pg_temp.gid(p_kind text, p_n bigint) returns uuid language sql immutable as
  $$ select (p_kind || '-0000-4000-8000-' || lpad(p_n::text, 12, '0'))::uuid $$;
-- a uniform number in [0, 1) from (n, salt)
create or replace function pg_temp.hu(p_n bigint, p_salt text) returns float8 language sql immutable as
  $$ select ('x' || substr(md5(p_salt || ':' || p_n), 1, 8))::bit(32)::bigint / 4294967296.0 $$;
-- community (0..49) of the n-th row: skewed towards 0; 48 and 49 are the seeded 春晖社区 and 柳塘村
create or replace function pg_temp.ck(p_n bigint) returns integer language sql immutable as
  $$ select least(49, floor(50 * power((0.5 + p_n::float8 * 0.7548776662466927) - floor(0.5 + p_n::float8 * 0.7548776662466927), 1.5)))::integer $$;
-- age of the n-th row as a fraction of the 18 months (independent of its community)
create or replace function pg_temp.tv(p_n bigint) returns float8 language sql immutable as
  $$ select (0.5 + p_n::float8 * 0.5698402909980532) - floor(0.5 + p_n::float8 * 0.5698402909980532) $$;
create or replace function pg_temp.cid(p_k integer) returns uuid language sql immutable as
  $$ select case p_k when 48 then '20000000-0000-4000-8000-000000000001'::uuid
                     when 49 then '20000000-0000-4000-8000-000000000002'::uuid
                     else pg_temp.gid('f1000000', p_k) end $$;
create or replace function pg_temp.grid(p_k integer, p_g integer) returns uuid language sql immutable as
  $$ select pg_temp.gid('f2000000', p_k * 10 + p_g) $$;
create or replace function pg_temp.hh(p_k integer, p_h integer) returns uuid language sql immutable as
  $$ select pg_temp.gid('f4000000', p_k * 1000 + p_h) $$;
-- resident j (0..1999) of community k lives in household j / 2, grid j / 400
create or replace function pg_temp.res(p_k integer, p_j integer) returns uuid language sql immutable as
  $$ select pg_temp.gid('f5000000', p_k * 2000 + p_j) $$;
-- staff of community k: 0 committee, 1 clerk, 2 supervisor, 3..7 grid workers of grids 0..4
create or replace function pg_temp.staff(p_k integer, p_s integer) returns uuid language sql immutable as
  $$ select pg_temp.gid('f6000000', p_k * 10 + p_s) $$;
-- a resident for the n-th row, skewed: low numbers are the busy ones
create or replace function pg_temp.busy(p_n bigint, p_salt text) returns integer language sql immutable as
  $$ select least(1999, floor(2000 * power(pg_temp.hu(p_n, p_salt), 2)))::integer $$;
-- the person of the n-th case or redemption of community k: the benchmark's caller (resident 0 of community 0)
-- has every one of community 0's rows among the small set's parents, so their own lists hold a page at both
-- sizes (the large set adds rows for everyone, them included)
create or replace function pg_temp.owner(p_n bigint, p_k integer, p_parents integer, p_salt text) returns integer language sql immutable as
  $$ select case when p_k = 0 and p_n < p_parents then 0 else pg_temp.busy(p_n, p_salt) end $$;
create or replace function pg_temp.month_of(p_at timestamptz) returns date language sql immutable as
  $$ select date_trunc('month', p_at at time zone 'Asia/Shanghai')::date $$;
`;

const SURNAMES = `array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭','何','高','林','罗','郑','梁','谢','宋','唐','许','韩','冯','邓','曹']`;
const GIVEN = `array['秀英','桂英','秀兰','玉兰','建华','建国','志强','国庆','海燕','丽华','红梅','春生','德明','长顺','淑芬','美玲','文杰','晓雨','子涵','浩然','思远','雨桐','欣怡','宇航','家豪','诗琪','俊杰','梓萱','明辉','永福']`;
// Service items: name, department, theme, time limit in working days (same order in base data and cases).
const ITEM_NAMES = `array['老年人优待证办理','临时救助申请','城乡居民养老保险登记','就业失业登记','门诊慢特病待遇申请','残疾人两项补贴申请','独生子女父母奖励申请','无犯罪记录证明代办','房屋租赁登记备案','家庭经济困难证明']`;
const ITEM_DEPTS = `array['社区民政专干','社区民政专干','社区社保窗口','社区就业服务站','社区社保窗口','区残联（社区代收）','社区计生专干','社区警务室','社区网格服务站','社区居委会']`;
const ITEM_THEMES = `array['养老','困难救助','社保','就业','医保','残疾人','计生','证明开具','其他','证明开具']`;
const ITEM_DAYS = `array[5,10,5,3,15,15,10,7,3,3]`;
const GOODS_NAMES = `array['洗衣液 2kg','东北大米 5kg','抽纸 6 包','花生油 1.8L','纯棉毛巾','酱油 1.9L','食盐 5 袋','鸡蛋 30 枚','牙膏套装','挂面 2kg']`;
const GOODS_PRICES = `array[30,60,10,80,15,25,10,50,20,20]`;
const NOTICE_TITLES = `array['冬季消防安全检查安排','城乡居民医保缴费提醒','二次供水水箱清洗停水通知','垃圾分类督导志愿者招募','社区老年食堂本周菜单',
  '电动车集中充电桩启用','燃气安全入户检查安排','小区停车管理意见征集','流感疫苗接种点开放时间','防汛应急演练通知','党员固定主题党日活动',
  '小区绿化补植公示','楼道照明改造施工公告','困难群众临时救助政策解读','居民议事会会议纪要','高温天气防暑提示']`;
const TOPIC_TITLES = `array['小区东门增设非机动车停车棚','楼道堆物清理长效机制','老旧小区加装电梯意见','广场舞音量与时间约定','垃圾分类亭搬离住宅楼',
  '增设儿童游乐设施','宠物粪便清理倡议','小区路灯维修','菜市场周边占道经营','社区食堂延长营业时间']`;
const POLL_TITLES = `array['物业服务满意度调查','春节联欢会节目投票','停车收费方案意见征集','老年食堂菜品满意度','议事会代表推选意向']`;
const AWARD_REASONS = `array['参加垃圾分类督导','参加楼道清理','协助社区入户走访','参加防疫志愿服务','调解邻里纠纷','参加文明劝导','为社区议事提出建议']`;
const BODY = `'社区居委会提醒：请居民朋友相互转告，家中有老人的请帮忙解读。如有疑问，请在工作时间拨打社区服务电话，或到党群服务中心一楼咨询窗口。网格员会在本周内上门走访，听取大家的意见和建议。'`;

/** Base data: the street's 50 communities, their grids, buildings, households, people and catalogues. */
function baseSql(t0: string): string {
  return `
insert into app.communities (id, street_id, name, kind, address, service_phone, service_hours, created_at)
select pg_temp.cid(k), '10000000-0000-4000-8000-000000000001',
       (array['枫林','桂园','荷塘','松涛','竹溪','梅岭','兰亭','杏坛','柳岸','桃源','云台','石桥'])[1 + k % 12]
         || (array['社区','新村社区','花园社区','村'])[1 + k / 12],
       case when k / 12 = 3 then 'village'::app.community_kind else 'community' end,
       '临江区青石街道（生成的社区 ' || k || '）', '0731-8452 ' || lpad((7000 + k)::text, 4, '0'), '周一至周五 8:30–17:30',
       ${t0} - interval '700 days'
  from generate_series(0, 47) k;

insert into app.grids (id, community_id, name, description, created_at)
select pg_temp.grid(k, g), pg_temp.cid(k), '第' || (g + 1) || '片区', '生成的网格：' || (g * 20 + 1) || '–' || (g * 20 + 20) || ' 号楼',
       ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 4) g;

insert into app.buildings (id, community_id, grid_id, name, created_at)
select pg_temp.gid('f3000000', k * 100 + b), pg_temp.cid(k), pg_temp.grid(k, b / 20), (b + 1) || '号楼', ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 99) b;

insert into app.households (id, community_id, building_id, room, created_at)
select pg_temp.hh(k, h), pg_temp.cid(k), pg_temp.gid('f3000000', k * 100 + h / 10),
       (h % 10 / 5 + 1) || '单元' || (h % 5 + 1) || '01', ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 999) h;

insert into app.profiles (id, display_name, real_name, created_at)
select pg_temp.res(k, j), (${GIVEN})[1 + (k * 2000 + j) / 30 % 30],
       (${SURNAMES})[1 + (k * 2000 + j) % 30] || (${GIVEN})[1 + (k * 2000 + j) / 30 % 30], ${t0} - interval '650 days'
  from generate_series(0, 49) k, generate_series(0, 1999) j;

insert into app.memberships (id, profile_id, community_id, role, household_id, created_at)
select pg_temp.gid('f7000000', k * 2000 + j), pg_temp.res(k, j), pg_temp.cid(k), 'resident', pg_temp.hh(k, j / 2), ${t0} - interval '650 days'
  from generate_series(0, 49) k, generate_series(0, 1999) j;

insert into app.profiles (id, display_name, real_name, created_at)
select pg_temp.staff(k, s), (array['主任','窗口','监委','网格员','网格员','网格员','网格员','网格员'])[1 + s],
       (${SURNAMES})[1 + (k * 10 + s * 7) % 30] || (${GIVEN})[1 + (k * 3 + s * 11) % 30], ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 7) s;

insert into app.memberships (id, profile_id, community_id, role, grid_id, title, created_at)
select pg_temp.gid('f7100000', k * 10 + s), pg_temp.staff(k, s), pg_temp.cid(k),
       (array['committee','clerk','supervisor','grid_worker','grid_worker','grid_worker','grid_worker','grid_worker'])[1 + s]::app.role,
       case when s >= 3 then pg_temp.grid(k, s - 3) end,
       (array['居委会主任','便民服务中心窗口','监督委员会主任','网格员','网格员','网格员','网格员','网格员'])[1 + s],
       ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 7) s;

insert into app.member_tags (profile_id, community_id, tag)
select pg_temp.res(k, j), pg_temp.cid(k), 'representative' from generate_series(0, 49) k, generate_series(0, 1999, 67) j
union all
select pg_temp.res(k, j), pg_temp.cid(k), 'party_member' from generate_series(0, 49) k, generate_series(5, 1999, 101) j
union all
select pg_temp.staff(k, 0), pg_temp.cid(k), 'party_member' from generate_series(0, 49) k
on conflict do nothing;

insert into app.service_items (id, community_id, name, department, theme, eligibility, materials, steps, time_limit_days,
                               offline_address, offline_hours, online, appointment, proxy_allowed, form, created_at)
select pg_temp.gid('f9000000', k * 100 + n), pg_temp.cid(k), (${ITEM_NAMES})[1 + n], (${ITEM_DEPTS})[1 + n], (${ITEM_THEMES})[1 + n],
       '本社区居民', '["身份证", "户口本"]', '["网上提交申请", "窗口审核", "办结通知"]', (${ITEM_DAYS})[1 + n],
       '社区党群服务中心一楼', '周一至周五 8:30–17:30', true, false, true, '[]', ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 9) n;

insert into app.goods (id, community_id, name, price_points, created_by, created_at)
select pg_temp.gid('f8000000', k * 100 + g), pg_temp.cid(k), (${GOODS_NAMES})[1 + g], (${GOODS_PRICES})[1 + g], pg_temp.staff(k, 1),
       ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 9) g;
insert into app.goods_stock_changes (goods_id, delta, kind, reason, actor_id, created_at)
select pg_temp.gid('f8000000', k * 100 + g), 20, 'restock', '首次上架', pg_temp.staff(k, 1), ${t0} - interval '700 days'
  from generate_series(0, 49) k, generate_series(0, 9) g;
update app.goods set stock = 20, total_stocked = 20 where id >= pg_temp.gid('f8000000', 0) and id <= pg_temp.gid('f8000000', 4999);

-- 积分公示 of every month that is over (and was published, three days after it ended, or just now): its
-- 7-day objection window then decides when that month's points can be spent.
insert into app.point_publications (id, community_id, month, objection_days, published_by, published_at, window_closes_at)
select pg_temp.gid('f9100000', k * 100 + x.m), pg_temp.cid(k), x.month, 7, pg_temp.staff(k, 0), x.published, x.published + interval '7 days'
  from generate_series(0, 49) k
 cross join (select m, month,
                    least((month + interval '1 month 3 days')::timestamp at time zone 'Asia/Shanghai', ${t0} - interval '1 minute') as published,
                    (month + interval '1 month')::timestamp at time zone 'Asia/Shanghai' as ended
               from (select m, (pg_temp.month_of(${t0} - interval '640 days') + make_interval(months => m))::date as month
                       from generate_series(0, 24) m) y) x
 where x.published > x.ended
on conflict (community_id, month) do nothing;
`;
}

/** Child rows of parents [lo, hi) per table. */
function childSql(t0: string, r: Record<keyof typeof PARENTS, [number, number]>, schema: { topicCheck: boolean }): string {
  const [nLo, nHi] = r.notices;
  const [tLo, tHi] = r.topics;
  const [pLo, pHi] = r.polls;
  const [aLo, aHi] = r.activities;
  const [cLo, cHi] = r.applications;
  const [mLo, mHi] = r.redemptions;
  return `
create temp table sc_audit (at timestamptz, actor uuid, on_behalf uuid, community uuid, action text, entity text, entity_id text,
                            detail jsonb) on commit drop;
create temp table sc_entry (profile_id uuid, community_id uuid, delta integer, kind text, reason text, reference text, key text,
                            month date, actor uuid, at timestamptz) on commit drop;

-- ---------------------------------------------------------------- notices, versions, reads

create temp table sc_notice on commit drop as
select i, k, pg_temp.gid('fa000000', i) as id, pg_temp.cid(k) as cid,
       case when i % 50 = 49 then 'emergency'
            else (array['policy','routine','major','temporary','hotspot','party','affairs','routine'])[1 + i % 8] end::app.notice_category as category,
       case when i % 50 <> 49 and i % 7 = 3 then (i / 7 % 5)::integer end as grid,
       ${t0} - interval '2 hours' - pg_temp.tv(i) * interval '540 days' as created
  from (select i, pg_temp.ck(i) as k from generate_series(${nLo}::bigint, ${nHi - 1}) i) x;

insert into app.notices (id, community_id, category, audience_grid_ids, pinned, important, expires_at, created_by, created_at, first_published_at)
select id, cid, category, case when grid is not null then array[pg_temp.grid(k, grid)] end,
       category <> 'emergency' and i % 40 = 0 and created > ${t0} - interval '45 days',
       category = 'emergency' or i % 9 = 0,
       case category when 'emergency' then created + interval '3 days' when 'temporary' then created + interval '15 days' end,
       pg_temp.staff(k, 0), created, created + interval '1 hour'
  from sc_notice;

insert into app.notice_versions (notice_id, version, status, title, body, written_by, written_at, submitted_at, reviewed_by, reviewed_at,
                                 published_at, published_by, content_sha256)
select s.id, 1, 'published', t.title, ${BODY}, pg_temp.staff(s.k, 0), s.created, s.created + interval '30 minutes',
       case when s.category = 'affairs' then pg_temp.staff(s.k, 2) end,
       case when s.category = 'affairs' then s.created + interval '1 hour' end,
       s.created + interval '1 hour', pg_temp.staff(s.k, case when s.category = 'affairs' then 2 else 0 end),
       encode(sha256(convert_to(jsonb_build_object(
         'notice', s.id, 'version', 1, 'category', s.category, 'title', t.title, 'body', ${BODY}, 'images', '[]'::jsonb,
         'attachments', '[]'::jsonb, 'financePeriod', null, 'finance', '[]'::jsonb)::text, 'UTF8')), 'hex')
  from sc_notice s
 cross join lateral (select case when s.category = 'emergency' then '紧急：' else '' end
                            || (${NOTICE_TITLES})[1 + (s.i * 7) % 16] as title) t;

insert into app.notice_reads (notice_id, profile_id, household_id, first_read_at)
select s.id, pg_temp.res(s.k, j), pg_temp.hh(s.k, j / 2), least(s.created + interval '1 hour' + (t + 1) * interval '41 minutes', ${t0})
  from sc_notice s
 cross join lateral generate_series(0, case when s.category = 'emergency' then 40 else 8 + (s.i * 7) % 17 end - 1) t
 cross join lateral (select (case when s.grid is null then (s.i * 37 + t * 7) % 2000
                                  else s.grid * 400 + (s.i * 37 + t * 7) % 400 end)::integer as j) p;

insert into sc_audit
select created, pg_temp.staff(k, 0), null::uuid, cid, 'notice.create', 'notice', id::text, jsonb_build_object('category', category) from sc_notice
union all
select created + interval '30 minutes', pg_temp.staff(k, 0), null::uuid, cid, case when category = 'affairs' then 'notice.submit' else 'notice.publish' end,
       'notice', id::text, jsonb_build_object('version', 1) from sc_notice
union all
select created + interval '1 hour', pg_temp.staff(k, 2), null::uuid, cid, 'notice.approve', 'notice', id::text,
       jsonb_build_object('version', 1, 'comment', null) from sc_notice where category = 'affairs';

-- ---------------------------------------------------------------- topics and co-signatures

create temp table sc_topic on commit drop as
select i, k, pg_temp.gid('fc000000', i) as id, pg_temp.cid(k) as cid, pg_temp.busy(i, 'topic') as j0,
       (1 + (i * 13) % 19)::integer as cosigns, case k when 48 then 3 when 49 then 5 else 10 end as threshold,
       ${t0} - interval '2 hours' - pg_temp.tv(i) * interval '540 days' as created
  from (select i, pg_temp.ck(i) as k from generate_series(${tLo}::bigint, ${tHi - 1}) i) x;

insert into app.topics (id, community_id, title, description, raised_by, status, threshold_reached_at, answer, answered_by, created_at
                        ${schema.topicCheck ? ', check_status' : ''})
select id, cid, (${TOPIC_TITLES})[1 + i % 10],
       '不少居民反映这个问题已经很久了，希望社区牵头和物业、业委会一起商量个办法，大家都来出出主意。',
       pg_temp.res(k, j0),
       case when i % 5 = 0 and created < ${t0} - interval '30 days' then 'answered' else 'collecting' end,
       case when cosigns >= threshold then least(created + (threshold - 1) * interval '3 hours', ${t0}) end,
       case when i % 5 = 0 and created < ${t0} - interval '30 days' then '经两委研究，已交物业在下月内落实，届时在公告栏公示结果。' end,
       case when i % 5 = 0 and created < ${t0} - interval '30 days' then pg_temp.staff(k, 0) end,
       created ${schema.topicCheck ? ", 'passed'" : ''}
  from sc_topic;

insert into app.topic_cosigns (topic_id, profile_id, created_at)
select s.id, pg_temp.res(s.k, ((s.j0 + t * 7) % 2000)::integer), least(s.created + t * interval '3 hours', ${t0})
  from sc_topic s cross join lateral generate_series(0, s.cosigns - 1) t;

insert into sc_audit
select created, pg_temp.res(k, j0), null::uuid, cid, 'topic.raise', 'topic', id::text, '{}'::jsonb from sc_topic
union all
select least(s.created + t * interval '3 hours', ${t0}), pg_temp.res(s.k, ((s.j0 + t * 7) % 2000)::integer), null::uuid, s.cid, 'topic.cosign', 'topic',
       s.id::text, jsonb_build_object('cosigns', t + 1)
  from sc_topic s cross join lateral generate_series(1, s.cosigns - 1) t;

-- ---------------------------------------------------------------- polls, voters, ballots

create temp table sc_poll on commit drop as
select i, k, pg_temp.gid('fd000000', i) as id, pg_temp.cid(k) as cid, (2 + i % 4)::integer as options,
       case when i % 3 = 0 then 'households' else 'residents' end as electorate, (10 + (i * 17) % 81)::integer as voters,
       ${t0} - interval '2 hours' - pg_temp.tv(i) * interval '540 days' as created
  from (select i, pg_temp.ck(i) as k from generate_series(${pLo}::bigint, ${pHi - 1}) i) x;

insert into app.polls (id, community_id, title, description, multiple, options, electorate, live_results, opens_at, closes_at, created_by, created_at)
select id, cid, (${POLL_TITLES})[1 + i % 5], '请每位居民（或每户）投一票，结果将在公告栏公示。', false,
       (select jsonb_agg(jsonb_build_object('id', o, 'label', (array['非常满意','满意','一般','不满意','说不清'])[o]) order by o)
          from generate_series(1, options) o),
       electorate, i % 2 = 0, created, created + interval '14 days', pg_temp.staff(k, 0), created
  from sc_poll;

insert into app.poll_voters (poll_id, voter_key, idempotency_key)
select s.id, case when s.electorate = 'residents' then pg_temp.res(s.k, ((s.i * 37 + t * 7) % 2000)::integer)
                  else pg_temp.hh(s.k, ((s.i * 37 + t * 7) % 1000)::integer) end,
       'gen-' || s.i || '-' || t
  from sc_poll s cross join lateral generate_series(0, s.voters - 1) t;

insert into app.poll_ballots (id, poll_id, choices)
select pg_temp.gid('fd100000', s.i * 1000 + t), s.id, array[1 + floor(pg_temp.hu(s.i * 1000 + t, 'vote') * s.options)::integer]
  from sc_poll s cross join lateral generate_series(0, s.voters - 1) t;

insert into sc_audit select created, pg_temp.staff(k, 0), null::uuid, cid, 'poll.create', 'poll', id::text, '{}'::jsonb from sc_poll;

-- ---------------------------------------------------------------- activities, sign-ups, service points

create temp table sc_act on commit drop as
select i, k, id, cid, starts, starts + make_interval(hours => hours) as ends, hours, capacity, grid, signups,
       least(starts - interval '10 days', ${t0} - interval '1 day') as created,
       starts + make_interval(hours => hours) + interval '30 minutes' <= ${t0} as confirmed
  from (select i, k, pg_temp.gid('fb000000', i) as id, pg_temp.cid(k) as cid,
               -- community 0's activities among the small set's parents are all ahead, so the benchmark's caller
               -- has upcoming activities to list at both sizes
               date_trunc('hour', case when k = 0 and i < ${PARENTS.activities} then ${t0} + interval '1 day' + pg_temp.tv(i) * interval '29 days'
                                       else ${t0} + interval '30 days' - pg_temp.tv(i) * interval '570 days' end) as starts,
               (1 + i % 3)::integer as hours, (20 + (i % 3) * 10)::integer as capacity,
               case when i % 4 = 1 then (i / 4 % 5)::integer end as grid, (2 + (i * 11) % 15)::integer as signups
          from (select i, pg_temp.ck(i) as k from generate_series(${aLo}::bigint, ${aHi - 1}) i) x) y;

insert into app.activities (id, community_id, grid_id, title, description, place, starts_at, ends_at, capacity, seats_taken, points_per_hour,
                            cancel_until, code_secret, organizer_id, status, confirmed_at, created_at)
select id, cid, case when grid is not null then pg_temp.grid(k, grid) end,
       (array['楼道杂物清理','陪伴高龄老人','垃圾分类督导','文明劝导','义务理发进楼栋','社区绿化养护','防汛物资整理','反诈宣传进楼栋'])[1 + i % 8],
       '请穿方便活动的衣服，提前十分钟到场签到。', (array['社区党群服务中心','小区东门','1 号楼门口','社区广场'])[1 + i % 4],
       starts, ends, capacity, signups, 10, starts - interval '2 hours', md5('scale-activity:' || i), pg_temp.staff(k, 0),
       case when confirmed then 'confirmed' else 'open' end, case when confirmed then ends + interval '30 minutes' end, created
  from sc_act;

create temp table sc_signup on commit drop as
select a.i, a.k, a.id as activity_id, a.cid, a.confirmed, a.starts, a.ends, a.hours, t,
       pg_temp.gid('fb100000', a.i * 100 + t) as id,
       pg_temp.res(a.k, (case when a.grid is null then (a.i * 37 + t * 7) % 2000 else a.grid * 400 + (a.i * 37 + t * 7) % 400 end)::integer) as profile_id,
       least(a.created + (t + 1) * interval '5 hours', ${t0}) as created
  from sc_act a cross join lateral generate_series(0, a.signups - 1) t;

insert into app.activity_signups (id, activity_id, profile_id, status, idempotency_key, created_at, checked_in_at, checked_out_at, minutes, points,
                                  confirmed_by, confirmed_at)
select id, activity_id, profile_id, 'confirmed', 'gen-' || i || '-' || t, created,
       case when confirmed then starts - make_interval(mins => (t % 10)::integer) end,
       case when confirmed then ends + make_interval(mins => (t % 7)::integer) end,
       case when confirmed then hours * 60 end, case when confirmed then hours * 10 end,
       case when confirmed then pg_temp.staff(k, 0) end, case when confirmed then ends + interval '30 minutes' end
  from sc_signup;

insert into sc_entry
select s.profile_id, s.cid, s.hours * 10, 'service',
       left('志愿服务：' || a.title || '（' || s.hours * 60 || ' 分钟）', 200), 'activity:' || s.activity_id, 'activity:' || s.activity_id,
       pg_temp.month_of(s.ends + interval '30 minutes'), pg_temp.staff(s.k, 0), s.ends + interval '30 minutes'
  from sc_signup s join app.activities a on a.id = s.activity_id
 where s.confirmed;

insert into sc_audit
select created, pg_temp.staff(k, 0), null::uuid, cid, 'activity.create', 'activity', id::text, '{}'::jsonb from sc_act
union all
select created, profile_id, null::uuid, cid, 'activity.signup', 'activity', activity_id::text, jsonb_build_object('status', 'confirmed') from sc_signup
union all
select ends + interval '30 minutes', pg_temp.staff(k, 0), null::uuid, cid, 'activity.confirm', 'activity', id::text,
       jsonb_build_object('points', signups * hours * 10) from sc_act where confirmed;

-- ---------------------------------------------------------------- applications, their steps, notifications

create temp table sc_app on commit drop as
select i, k, id, cid, item, applicant, created, status, path, step, rated,
       created + (cardinality(path) - 1) * step as updated
  from (select i, k, pg_temp.gid('fe000000', i) as id, pg_temp.cid(k) as cid,
               floor(10 * power(pg_temp.hu(i, 'item'), 1.5))::integer as item, pg_temp.res(k, pg_temp.owner(i, k, ${PARENTS.applications}, 'case')) as applicant,
               created, s.status,
               case s.status when 'submitted' then array['submitted'] when 'accepted' then array['submitted','accepted']
                             when 'processing' then array['submitted','accepted','processing']
                             when 'completed' then array['submitted','accepted','processing','completed']
                             when 'rejected' then array['submitted','rejected'] else array['submitted','returned'] end::app.application_status[] as path,
               least(interval '1 day', (${t0} - created) / 5) as step, pg_temp.hu(i, 'rate') < 0.5 as rated
          from (select i, pg_temp.ck(i) as k, ${t0} - interval '2 hours' - pg_temp.tv(i) * interval '540 days' as created, pg_temp.hu(i, 'status') as q
                  from generate_series(${cLo}::bigint, ${cHi - 1}) i) x
         cross join lateral (select case when created < ${t0} - interval '20 days' then
                                      case when q < 0.85 then 'completed' when q < 0.93 then 'rejected' else 'returned' end
                                    else case when q < 0.3 then 'submitted' when q < 0.55 then 'accepted' when q < 0.8 then 'processing'
                                              when q < 0.9 then 'returned' else 'completed' end end as status) s) y;

insert into app.applications (id, community_id, item_id, applicant_id, status, due_on, idempotency_key, created_by, created_at, updated_at,
                              rating, rating_comment, rated_at)
select id, cid, pg_temp.gid('f9000000', k * 100 + item), applicant, status::app.application_status,
       app.add_working_days(cid, (created at time zone 'Asia/Shanghai')::date, (${ITEM_DAYS})[1 + item]),
       'gen-' || i, applicant, created, updated,
       case when status = 'completed' and rated then 3 + (i % 3)::integer end,
       case when status = 'completed' and rated then '办得很快，窗口态度也好' end,
       case when status = 'completed' and rated then updated + step / 2 end
  from sc_app;

create temp table sc_event on commit drop as
select a.id as application_id, a.k, a.cid, a.item, a.applicant, e.n,
       a.created + (e.n - 1) * a.step as at,
       case when e.n = 1 then a.applicant else pg_temp.staff(a.k, 1) end as actor,
       a.path[e.n - 1] as from_status, a.path[e.n] as to_status,
       case a.path[e.n] when 'accepted' then '材料齐全，已受理' when 'processing' then '已报街道审核'
                        when 'completed' then '已办结，请到窗口领取' when 'returned' then '请补充户口本复印件后重新提交'
                        when 'rejected' then '经核实不符合申请条件' else '' end as note
  from sc_app a cross join lateral generate_series(1, cardinality(a.path)) e(n);

insert into app.application_events (application_id, at, actor_id, from_status, to_status, note)
select application_id, at, actor, from_status, to_status, note from sc_event order by at;

insert into app.notifications (profile_id, title, body, link, created_at, read_at)
select applicant, (${ITEM_NAMES})[1 + item] || '：' || app.status_label(to_status), note,
       'packages/hall/case/index?id=' || application_id, at, case when at < ${t0} - interval '1 day' then at + interval '3 hours' end
  from sc_event where n > 1 order by at;

insert into sc_audit
select at, actor, applicant, cid, 'application.' || to_status, 'application', application_id::text,
       jsonb_build_object('from', from_status, 'note', note)
  from sc_event;

-- ---------------------------------------------------------------- redemptions, paid from awarded points

create temp table sc_red on commit drop as
select i, k, id, cid, g, profile_id, created, price,
       case when created > ${t0} - interval '6 days' then 'reserved' else 'handed_over' end as status,
       created - interval '45 days' as awarded
  from (select i, k, pg_temp.gid('fe100000', i) as id, pg_temp.cid(k) as cid, g,
               pg_temp.res(k, pg_temp.owner(i, k, ${PARENTS.redemptions}, 'mall')) as profile_id,
               ${t0} - interval '2 hours' - pg_temp.tv(i) * interval '540 days' as created, (${GOODS_PRICES})[1 + g] as price
          from (select i, pg_temp.ck(i) as k, floor(10 * power(pg_temp.hu(i, 'goods'), 2))::integer as g
                  from generate_series(${mLo}::bigint, ${mHi - 1}) i) x) y;

insert into sc_entry
select profile_id, cid, price + 5 * (i % 5)::integer, 'award', (${AWARD_REASONS})[1 + i % 7], null, 'award:gen-' || i,
       pg_temp.month_of(awarded), pg_temp.staff(k, 0), awarded
  from sc_red
union all
select profile_id, cid, -price, 'redemption', '积分超市兑换：' || (${GOODS_NAMES})[1 + g], 'redemption:' || id, 'redemption:' || id,
       pg_temp.month_of(created), profile_id, created
  from sc_red;

-- ---------------------------------------------------------------- the ledger: accounts, entries, balances

insert into app.point_accounts (profile_id, community_id, updated_at)
select distinct profile_id, community_id, ${t0} - interval '640 days' from sc_entry
on conflict do nothing;

insert into app.point_entries (profile_id, community_id, delta, kind, reason, reference, idempotency_key, month, actor_id, created_at)
select profile_id, community_id, delta, kind, reason, reference, key, month, actor, at from sc_entry order by at;

update app.point_accounts a set balance = s.balance, updated_at = s.last
  from (select e.profile_id, e.community_id, sum(e.delta)::integer as balance, max(e.created_at) as last
          from app.point_entries e
         where (e.profile_id, e.community_id) in (select distinct profile_id, community_id from sc_entry)
         group by e.profile_id, e.community_id) s
 where a.profile_id = s.profile_id and a.community_id = s.community_id;

insert into sc_audit
select e.created_at, e.actor_id, e.profile_id, e.community_id, 'points.award', 'point_entry', e.id::text,
       jsonb_build_object('points', e.delta, 'reason', e.reason)
  from sc_red r join app.point_entries e on e.profile_id = r.profile_id and e.community_id = r.cid and e.idempotency_key = 'award:gen-' || r.i;

insert into app.redemptions (id, community_id, goods_id, profile_id, points_spent, pickup_code, status, idempotency_key, debit_entry_id,
                             expires_at, created_at, handed_over_at, handed_over_by)
select r.id, r.cid, pg_temp.gid('f8000000', r.k * 100 + r.g), r.profile_id, r.price,
       (select string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + ((r.i * 7919 + 123456789) / power(31, d)::bigint % 31)::integer, 1), '' order by d)
          from generate_series(0, 7) d),
       r.status, 'gen-' || r.i, e.id, r.created + interval '7 days', r.created,
       case when r.status = 'handed_over' then r.created + (1 + r.i % 4) * interval '1 day' end,
       case when r.status = 'handed_over' then pg_temp.staff(r.k, 1) end
  from sc_red r join app.point_entries e on e.profile_id = r.profile_id and e.community_id = r.cid and e.idempotency_key = 'redemption:' || r.id;

insert into sc_audit
select created, profile_id, null::uuid, cid, 'mall.redeem', 'redemption', id::text, jsonb_build_object('goods', pg_temp.gid('f8000000', k * 100 + g), 'points', price)
  from sc_red
union all
select created + (1 + i % 4) * interval '1 day', pg_temp.staff(k, 1), profile_id, cid, 'mall.hand_over', 'redemption', id::text, '{}'::jsonb
  from sc_red where status = 'handed_over';

-- Restocked (with a recorded reason) by what went out, so the shelf never ran empty.
insert into app.goods_stock_changes (goods_id, delta, kind, reason, actor_id, created_at)
select pg_temp.gid('f8000000', k * 100 + g), count(*)::integer, 'restock', '按兑换量补货', pg_temp.staff(k, 1), min(created) - interval '1 day'
  from sc_red group by k, g;
update app.goods g set reserved = x.reserved, handed_over = x.handed_over, total_stocked = x.total,
       stock = x.total - x.reserved - x.handed_over
  from (select gd.id,
               (select count(*) from app.redemptions r where r.goods_id = gd.id and r.status = 'reserved')::integer as reserved,
               (select count(*) from app.redemptions r where r.goods_id = gd.id and r.status = 'handed_over')::integer as handed_over,
               (select sum(c.delta) from app.goods_stock_changes c where c.goods_id = gd.id)::integer as total
          from app.goods gd where gd.id in (select pg_temp.gid('f8000000', k * 100 + g) from sc_red)) x
 where g.id = x.id;

-- ---------------------------------------------------------------- the audit log, in time order

insert into app.audit_log (at, actor_id, on_behalf_of, community_id, action, entity, entity_id, detail)
select at, actor, on_behalf, community, action, entity, entity_id, detail from sc_audit order by at;
`;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`set synchronous_commit = off; set statement_timeout = 0; set timezone = 'Asia/Shanghai'`);
    await c.query(HELPERS);
    return await fn(c);
  } finally {
    await c.end();
  }
}

function literalTime(anchor: Date): string {
  return `'${anchor.toISOString()}'::timestamptz`;
}

async function timed(steps: StepTiming[], step: string, fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  steps.push({ step, ms: performance.now() - t });
}

/** Writes the base data (both sizes share it) into a migrated and seeded database. */
export async function generateBase(url: string, anchor: Date): Promise<StepTiming[]> {
  const steps: StepTiming[] = [];
  await withClient(url, async (c) => {
    await c.query('begin');
    try {
      await timed(steps, 'base: 50 communities, 100,000 residents, staff, catalogues', () => c.query(baseSql(literalTime(anchor))));
      await c.query('commit');
    } catch (err) {
      await c.query('rollback');
      throw err;
    }
  });
  return steps;
}

/**
 * Writes the child rows of one size: `small` on top of the base, `large` on top of `small` (same anchor).
 * Ends with ANALYZE, as a bulk load should.
 */
export async function generateChildren(url: string, size: ScaleSize, anchor: Date): Promise<StepTiming[]> {
  const steps: StepTiming[] = [];
  await withClient(url, async (c) => {
    const lo = size === 'small' ? 0 : FACTOR.small;
    const hi = FACTOR[size];
    const ranges = Object.fromEntries(Object.entries(PARENTS).map(([k, n]) => [k, [lo * n, hi * n]])) as Record<keyof typeof PARENTS, [number, number]>;
    // Columns that later migrations added: a topic is shown to neighbours once its content check passed.
    const topicCheck =
      (
        await c.query(`select 1 from information_schema.columns
                                        where table_schema = 'app' and table_name = 'topics' and column_name = 'check_status'`)
      ).rowCount === 1;
    await c.query('begin');
    try {
      await timed(steps, `${size}: child rows`, () => c.query(childSql(literalTime(anchor), ranges, { topicCheck })));
      await c.query('commit');
    } catch (err) {
      await c.query('rollback');
      throw err;
    }
    await timed(steps, `${size}: analyze`, () => c.query('analyze'));
  });
  return steps;
}

/** Row counts of every table in schema app. */
export async function countRows(url: string): Promise<Map<string, number>> {
  return withClient(url, async (c) => {
    const tables = (
      await c.query<{ t: string }>(`select c.relname as t from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind = 'r' order by 1`)
    ).rows.map((r) => r.t);
    const counts = new Map<string, number>();
    const res = await c.query<{ t: string; n: string }>(tables.map((t) => `select '${t}' as t, count(*) as n from app.${t}`).join(' union all '));
    for (const r of res.rows) counts.set(r.t, Number(r.n));
    return counts;
  });
}

/**
 * Checks what the rules say must add up, after generation: balances equal the sum of entries and are not
 * negative, goods units add up, seats equal confirmed sign-ups. Returns the problems found (none expected).
 */
export async function checkScaleData(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const problems: string[] = [];
    const q = async (label: string, sql: string) => {
      const n = Number((await c.query<{ n: string }>(sql)).rows[0]!.n);
      if (n > 0) problems.push(`${label}: ${n}`);
    };
    await q(
      'accounts whose balance differs from the sum of entries',
      `
      select count(*) as n from app.point_accounts a
       where a.balance <> (select coalesce(sum(e.delta), 0) from app.point_entries e where e.profile_id = a.profile_id and e.community_id = a.community_id)`,
    );
    await q(
      'goods whose units do not add up',
      `
      select count(*) as n from app.goods g
       where g.reserved <> (select count(*) from app.redemptions r where r.goods_id = g.id and r.status = 'reserved')
          or g.handed_over <> (select count(*) from app.redemptions r where r.goods_id = g.id and r.status = 'handed_over')
          or g.total_stocked <> (select coalesce(sum(x.delta), 0) from app.goods_stock_changes x where x.goods_id = g.id)`,
    );
    await q(
      'activities whose seats differ from confirmed sign-ups',
      `
      select count(*) as n from app.activities a
       where a.seats_taken <> (select count(*) from app.activity_signups s where s.activity_id = a.id and s.status = 'confirmed')`,
    );
    await q(
      'redemptions paid with points that were not yet available',
      `
      select count(*) as n from app.redemptions r join app.point_entries e on e.idempotency_key = 'award:gen-' || substr(r.idempotency_key, 5)
              and e.profile_id = r.profile_id and e.community_id = r.community_id
       where r.idempotency_key like 'gen-%'
         and not exists (select 1 from app.point_publications p where p.community_id = e.community_id and p.month = e.month
                            and p.window_closes_at <= r.created_at)`,
    );
    return problems;
  });
}
