-- Demo volunteering: teams, volunteers, an October activity already confirmed and published (its points are
-- available to spend), November service still pending publication, and upcoming activities to sign up for.

insert into app.teams (id, community_id, name, description, leader_id) values
  ('b1000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '党员先锋服务队', '党员带头：楼道清理、政策宣传、帮扶困难户', '60000000-0000-4000-8000-000000000007'),
  ('b1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '志愿者服务队', '每周半天做志愿：助老、环境、文明劝导', '60000000-0000-4000-8000-000000000004'),
  ('b1000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', '网格员服务队', '网格员和楼栋长：巡查、排查隐患、上门走访', '60000000-0000-4000-8000-000000000005'),
  ('b1000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000002', '农技员服务队', '果树修剪、病虫害防治、农机维修', null)
on conflict do nothing;

insert into app.volunteer_profiles (profile_id, community_id, skills, availability, show_name) values
  ('60000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', '{理发,陪老人聊天,电脑维修}', '周末全天，工作日晚上', true),
  ('60000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '{开车,搬运}', '周六上午', false)
on conflict do nothing;

insert into app.team_members (team_id, profile_id, status, decided_by, decided_at) values
  ('b1000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000004', 'approved', '60000000-0000-4000-8000-000000000007', now() - interval '60 days'),
  ('b1000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000002', 'pending', null, null)
on conflict do nothing;

-- October: 重阳节陪伴高龄老人, confirmed; a November 楼道清理, confirmed; two upcoming activities.
insert into app.activities (id, community_id, title, description, place, starts_at, ends_at, capacity, seats_taken, points_per_hour,
                            cancel_until, organizer_id, status, confirmed_at, team_id) values
  ('b2000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '重阳节陪伴高龄老人',
   '陪 80 岁以上的老人聊天、量血压、包饺子。', '社区党群服务中心一楼', '2026-10-29 09:00+08', '2026-10-29 12:00+08', 10, 2, 10,
   '2026-10-28 18:00+08', '60000000-0000-4000-8000-000000000007', 'confirmed', '2026-10-29 12:30+08', 'b1000000-0000-4000-8000-000000000002'),
  ('b2000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '楼道杂物清理',
   '清理 1–5 号楼楼道堆放的杂物，消除消防隐患。', '1 号楼门口集合', '2026-11-08 14:00+08', '2026-11-08 16:00+08', 8, 1, 10,
   '2026-11-08 12:00+08', '60000000-0000-4000-8000-000000000007', 'confirmed', '2026-11-08 16:20+08', null)
on conflict do nothing;

insert into app.activities (id, community_id, title, description, place, starts_at, ends_at, capacity, points_per_hour,
                            cancel_until, organizer_id, required_skills, team_id)
select 'b2000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', '义务理发进楼栋',
       '给行动不便的老人上门理发。自带工具的志愿者优先。', '3 号楼、5 号楼', d + time '09:00', d + time '11:30', 3, 10,
       d + time '09:00' - interval '12 hours', '60000000-0000-4000-8000-000000000007', '{理发}', 'b1000000-0000-4000-8000-000000000002'
  from (select (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '5 days') at time zone 'Asia/Shanghai' as d) x
on conflict do nothing;
insert into app.activities (id, community_id, title, description, place, starts_at, ends_at, capacity, points_per_hour,
                            cancel_until, organizer_id)
select 'b2000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', '每周半天：小区文明劝导',
       '劝导电动车不进楼道、垃圾分类投放。', '小区东门', d + time '15:00', d + time '17:00', 12, 8,
       d + time '15:00' - interval '2 hours', '60000000-0000-4000-8000-000000000007'
  from (select (date_trunc('day', now() at time zone 'Asia/Shanghai') + interval '2 days') at time zone 'Asia/Shanghai' as d) x
on conflict do nothing;

insert into app.activity_signups (id, activity_id, profile_id, status, created_at, checked_in_at, checked_out_at, minutes, points,
                                  confirmed_by, confirmed_at) values
  ('b3000000-0000-4000-8000-000000000001', 'b2000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000004', 'confirmed',
   '2026-10-20 10:00+08', '2026-10-29 08:52+08', '2026-10-29 12:05+08', 180, 30, '60000000-0000-4000-8000-000000000007', '2026-10-29 12:30+08'),
  ('b3000000-0000-4000-8000-000000000002', 'b2000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000002', 'confirmed',
   '2026-10-21 10:00+08', '2026-10-29 09:10+08', '2026-10-29 11:40+08', 150, 25, '60000000-0000-4000-8000-000000000007', '2026-10-29 12:30+08'),
  ('b3000000-0000-4000-8000-000000000003', 'b2000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000004', 'confirmed',
   '2026-11-05 10:00+08', '2026-11-08 13:58+08', '2026-11-08 16:02+08', 120, 20, '60000000-0000-4000-8000-000000000007', '2026-11-08 16:20+08')
on conflict do nothing;

insert into app.point_accounts (profile_id, community_id) values
  ('60000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001'),
  ('60000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001')
on conflict do nothing;

insert into app.point_entries (profile_id, community_id, delta, kind, reason, reference, idempotency_key, month, actor_id, created_at)
select v.* from (values
  ('60000000-0000-4000-8000-000000000004'::uuid, '20000000-0000-4000-8000-000000000001'::uuid, 30, 'service', '志愿服务：重阳节陪伴高龄老人（180 分钟）',
   'activity:b2000000-0000-4000-8000-000000000001', 'activity:b2000000-0000-4000-8000-000000000001', date '2026-10-01',
   '60000000-0000-4000-8000-000000000007'::uuid, timestamptz '2026-10-29 12:30+08'),
  ('60000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', 25, 'service', '志愿服务：重阳节陪伴高龄老人（150 分钟）',
   'activity:b2000000-0000-4000-8000-000000000001', 'activity:b2000000-0000-4000-8000-000000000001', date '2026-10-01',
   '60000000-0000-4000-8000-000000000007', timestamptz '2026-10-29 12:30+08'),
  ('60000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', 50, 'award', '10月民情日带队走访 12 户独居老人',
   null, 'award:seed-2026-10-visit', date '2026-10-01', '60000000-0000-4000-8000-000000000007', timestamptz '2026-10-31 17:00+08'),
  ('60000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', 20, 'service', '志愿服务：楼道杂物清理（120 分钟）',
   'activity:b2000000-0000-4000-8000-000000000002', 'activity:b2000000-0000-4000-8000-000000000002', date '2026-11-01',
   '60000000-0000-4000-8000-000000000007', timestamptz '2026-11-08 16:20+08')
) v(profile_id, community_id, delta, kind, reason, reference, idempotency_key, month, actor_id, created_at)
on conflict (profile_id, community_id, idempotency_key) do nothing;

-- Only the demo accounts (seeds never touch rows they did not write: a street's database may hold 100k).
update app.point_accounts a set balance = (select coalesce(sum(e.delta), 0) from app.point_entries e
                                            where e.profile_id = a.profile_id and e.community_id = a.community_id)
 where a.community_id = '20000000-0000-4000-8000-000000000001'
   and a.profile_id in ('60000000-0000-4000-8000-000000000004', '60000000-0000-4000-8000-000000000002');

-- October was published on 11月3日 with a 7-day objection window: its points are available.
insert into app.point_publications (id, community_id, month, objection_days, published_by, published_at, window_closes_at) values
  ('b4000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '2026-10-01', 7,
   '60000000-0000-4000-8000-000000000007', '2026-11-03 09:00+08', '2026-11-10 09:00+08')
on conflict do nothing;

-- An open 吹哨 call for 第二网格 volunteers.
insert into app.whistle_calls (id, community_id, grid_id, title, detail, place, created_by, created_at, closes_at)
select 'b5000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000002',
       '5号楼独居老人需要人帮忙搬煤气罐', '周奶奶家煤气用完了，需要两位年轻人帮忙去换气点扛回来。', '5号楼1单元602门口',
       '60000000-0000-4000-8000-000000000007', now() - interval '20 minutes', now() + interval '3 hours'
 where not exists (select 1 from app.whistle_calls where id = 'b5000000-0000-4000-8000-000000000001');

-- Keep the demo alive on later days: upcoming activities nobody signed up for move forward by whole
-- weeks once they are past, and the demo 吹哨 call reopens while nobody has answered it.
update app.activities a
   set starts_at = a.starts_at + w.shift, ends_at = a.ends_at + w.shift, cancel_until = a.cancel_until + w.shift
  from (select id, make_interval(days => 7 * (floor(extract(epoch from (now() - starts_at)) / 604800)::integer + 1)) as shift
          from app.activities where id in ('b2000000-0000-4000-8000-000000000003', 'b2000000-0000-4000-8000-000000000004')) w
 where a.id = w.id and a.ends_at < now() and a.seats_taken = 0
   and not exists (select 1 from app.activity_signups s where s.activity_id = a.id);
update app.whistle_calls c set created_at = now() - interval '20 minutes', closes_at = now() + interval '3 hours'
 where c.id = 'b5000000-0000-4000-8000-000000000001' and c.closes_at < now()
   and not exists (select 1 from app.whistle_responses r where r.call_id = c.id);
