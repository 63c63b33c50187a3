-- Demo grid management: the departments of 青石街道 and a contact at 供电所 (persona `department`), a
-- second grid worker (第二网格, no demo login), public places, 随手拍 reports in every state across 春晖社区
-- and 柳塘村 (柳塘村's grids have no worker, so its reports go to the village committee), household visits,
-- a work log, one mediated dispute, and last month's closed reports the figures are counted from.
-- Times are relative to when the seed runs, so open reports are never overdue on a fresh demo.

insert into app.profiles (id, persona, display_name, real_name, phone) values
  ('60000000-0000-4000-8000-000000000015', 'department', '钱师傅', '钱卫东', '13800001015'),
  ('60000000-0000-4000-8000-000000000016', null, '郑网格', '郑晓东', '13800001016')
on conflict do nothing;

insert into app.memberships (id, profile_id, community_id, role, household_id, grid_id, title) values
  ('70000000-0000-4000-8000-000000000016', '60000000-0000-4000-8000-000000000016', '20000000-0000-4000-8000-000000000001', 'grid_worker', null,
   '30000000-0000-4000-8000-000000000002', '第二网格网格员')
on conflict do nothing;

insert into app.departments (id, street_id, name, phone) values
  ('f3000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', '城管执法中队', '0731-8452 1201'),
  ('f3000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', '市场监管所', '0731-8452 1202'),
  ('f3000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001', '青石派出所', '0731-8452 1110'),
  ('f3000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000001', '供电所', '0731-8452 1204'),
  ('f3000000-0000-4000-8000-000000000005', '10000000-0000-4000-8000-000000000001', '自来水营业所', '0731-8452 1205'),
  ('f3000000-0000-4000-8000-000000000006', '10000000-0000-4000-8000-000000000001', '春晖物业服务中心', '0731-8452 1206')
on conflict do nothing;
insert into app.department_contacts (department_id, profile_id) values
  ('f3000000-0000-4000-8000-000000000004', '60000000-0000-4000-8000-000000000015')
on conflict do nothing;

insert into app.public_places (id, community_id, grid_id, name) values
  ('f2000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000001', '春晖广场'),
  ('f2000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000002', '小区南门'),
  ('f2000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', '30000000-0000-4000-8000-000000000002', '春晖菜市场'),
  ('f2000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000003', '村口大樟树'),
  ('f2000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000004', '村文化广场')
on conflict do nothing;

do $$
declare
  t timestamptz := now();
  -- The middle of last month (Asia/Shanghai): closed reports, visits and mediation the figures count.
  lm timestamptz := (date_trunc('month', now() at time zone 'Asia/Shanghai') - interval '1 month' + interval '9 days 9 hours') at time zone 'Asia/Shanghai';
  c_ch uuid := '20000000-0000-4000-8000-000000000001';
  c_lt uuid := '20000000-0000-4000-8000-000000000002';
  g1 uuid := '30000000-0000-4000-8000-000000000001';
  g2 uuid := '30000000-0000-4000-8000-000000000002';
  ge uuid := '30000000-0000-4000-8000-000000000003';
  gw uuid := '30000000-0000-4000-8000-000000000004';
  p_res uuid := '60000000-0000-4000-8000-000000000001';
  p_res2 uuid := '60000000-0000-4000-8000-000000000002';
  p_vil uuid := '60000000-0000-4000-8000-000000000003';
  p_vol uuid := '60000000-0000-4000-8000-000000000004';
  p_gw uuid := '60000000-0000-4000-8000-000000000005';
  p_com uuid := '60000000-0000-4000-8000-000000000007';
  p_sup uuid := '60000000-0000-4000-8000-000000000008';
  p_vcom uuid := '60000000-0000-4000-8000-000000000010';
  p_gy uuid := '60000000-0000-4000-8000-000000000013';
  p_dep uuid := '60000000-0000-4000-8000-000000000015';
  p_gw2 uuid := '60000000-0000-4000-8000-000000000016';
  power uuid := 'f3000000-0000-4000-8000-000000000004';
begin
  if exists (select 1 from app.grid_reports where id = 'f1000000-0000-4000-8000-000000000001') then
    return;
  end if;

  insert into app.grid_reports (id, community_id, grid_id, category, description, place_kind, building_id, place_id, place_text, anonymous,
                                reporter_id, status, level, accept_due, solve_due, resolved_at, reopen_count, rating, rating_comment,
                                idempotency_key, created_at, updated_at) values
  -- 已上报, at the grid: just reported.
  ('f1000000-0000-4000-8000-000000000001', c_ch, g1, 'facility', '2号楼1单元三楼到五楼的楼道灯都不亮了，晚上上下楼看不见台阶。', 'household',
   '40000000-0000-4000-8000-000000000002', null, '', false, p_res2, 'reported', 'grid', t + interval '22 hours', null, null, 0, null, null,
   'seed-report-01', t - interval '2 hours', t - interval '2 hours'),
  -- 已受理, at the grid, with a neighbour who joined it.
  ('f1000000-0000-4000-8000-000000000002', c_ch, g1, 'sanitation', '春晖广场东边的垃圾桶满了两天没人清，周围堆了好几袋垃圾，有味道。', 'place',
   null, 'f2000000-0000-4000-8000-000000000001', '', false, p_res, 'accepted', 'grid', t - interval '8 hours', t + interval '50 hours', null, 0, null, null,
   'seed-report-02', t - interval '20 hours', t - interval '18 hours'),
  -- 处置中, at 第二网格 (an emergency category: 安全隐患).
  ('f1000000-0000-4000-8000-000000000003', c_ch, g2, 'hazard', '小区南门里面电动车停成一排，把消防通道堵住了，救护车进不来。', 'place',
   null, 'f2000000-0000-4000-8000-000000000002', '', true, p_vol, 'in_progress', 'grid', t - interval '20 hours', t + interval '25 hours', null, 0, null, null,
   'seed-report-03', t - interval '1 day', t - interval '22 hours'),
  -- Escalated by the worker to the community (难事), waiting to be accepted there.
  ('f1000000-0000-4000-8000-000000000004', c_ch, g2, 'noise', '5号楼有一户装修，每天早上七点前就开始电钻，说了几次也不听。', 'household',
   '40000000-0000-4000-8000-000000000004', null, '', false, p_sup, 'reported', 'community', t + interval '20 hours', null, null, 0, null, null,
   'seed-report-04', t - interval '3 days', t - interval '4 hours'),
  -- 已办结, waiting for the reporter to confirm.
  ('f1000000-0000-4000-8000-000000000005', c_ch, g1, 'facility', '1号楼2单元门口的下水道堵了，一下雨就积水，老人出门要绕着走。', 'household',
   '40000000-0000-4000-8000-000000000001', null, '', false, p_res, 'resolved', 'grid', t - interval '4 days', t - interval '1 day', t - interval '1 day', 0, null, null,
   'seed-report-05', t - interval '4 days 2 hours', t - interval '1 day'),
  -- Last month: overdue at the grid, climbed to the community by itself, 供电所 called in, fixed, confirmed, 5 stars.
  ('f1000000-0000-4000-8000-000000000006', c_ch, g2, 'facility', '春晖路3号楼旁边的两盏路灯一直不亮，晚上路过很黑。', 'building',
   '40000000-0000-4000-8000-000000000003', null, '', false, p_res2, 'confirmed', 'community', lm + interval '2 days', lm + interval '6 days',
   lm + interval '3 days', 0, 5, '供电所的师傅来得快，修得也好。', 'seed-report-06', lm, lm + interval '4 days'),
  -- Last month: accepted and solved on time by 刘网格, confirmed, 4 stars.
  ('f1000000-0000-4000-8000-000000000007', c_ch, g1, 'sanitation', '1号楼楼道里堆了很多纸箱和旧家具，堵住了一半的路。', 'household',
   '40000000-0000-4000-8000-000000000001', null, '', false, p_res, 'confirmed', 'grid', lm + interval '1 day', lm + interval '4 days',
   lm + interval '2 days', 0, 4, null, 'seed-report-07', lm, lm + interval '3 days'),
  -- Last month: solved late by 刘网格, confirmed, 3 stars.
  ('f1000000-0000-4000-8000-000000000008', c_ch, g1, 'facility', '2号楼门口的休息椅坏了一条腿，老人坐上去会晃。', 'building',
   '40000000-0000-4000-8000-000000000002', null, '', false, p_res2, 'confirmed', 'grid', lm + interval '1 day', lm + interval '5 days 12 hours',
   lm + interval '8 days', 0, 3, '修好了，就是慢了点。', 'seed-report-08', lm + interval '12 hours', lm + interval '9 days'),
  -- 柳塘村 (no grid worker): straight to the village committee.
  ('f1000000-0000-4000-8000-000000000009', c_lt, ge, 'facility', '东头组田边的水渠被冲下来的泥沙堵住了，下游几块田放不进水。', 'household',
   '40000000-0000-4000-8000-000000000005', null, '', false, p_vil, 'reported', 'community', t + interval '21 hours', null, null, 0, null, null,
   'seed-report-09', t - interval '3 hours', t - interval '3 hours'),
  ('f1000000-0000-4000-8000-000000000010', c_lt, gw, 'dispute', '西头组两户人家为宅基地边上一棵柿子树的归属吵了好几次，快要动手了。', 'household',
   '40000000-0000-4000-8000-000000000007', null, '', false, p_gy, 'in_progress', 'community', t - interval '1 day', t + interval '5 days', null, 0, null, null,
   'seed-report-10', t - interval '2 days', t - interval '1 day'),
  ('f1000000-0000-4000-8000-000000000011', c_lt, ge, 'hazard', '村口大樟树有根大枯枝挂在路上方，刮风时晃得厉害，怕砸到人。', 'place',
   null, 'f2000000-0000-4000-8000-000000000004', '', false, p_vil, 'confirmed', 'community', lm + interval '4 hours', lm + interval '2 days',
   lm + interval '1 day', 0, 5, '村里当天就找人锯掉了。', 'seed-report-11', lm, lm + interval '2 days');

  insert into app.report_followers (report_id, community_id, profile_id, joined_at)
  select r.id, r.community_id, r.reporter_id, r.created_at from app.grid_reports r where r.idempotency_key like 'seed-report-%';
  insert into app.report_followers (report_id, community_id, profile_id, joined_at) values
    ('f1000000-0000-4000-8000-000000000002', c_ch, p_vol, t - interval '19 hours');

  insert into app.department_calls (report_id, community_id, department_id, called_by, called_at, due_at, answered_by, answered_at, answer) values
    ('f1000000-0000-4000-8000-000000000006', c_ch, power, p_com, lm + interval '2 days 2 hours', lm + interval '3 days 2 hours', p_dep,
     lm + interval '2 days 20 hours', '已到场更换两盏路灯的灯头和一段老化线路，晚上试灯正常。');

  insert into app.report_steps (report_id, community_id, at, actor_id, action, from_status, to_status, from_level, to_level, due_at, on_time, note, department_id) values
    ('f1000000-0000-4000-8000-000000000001', c_ch, t - interval '2 hours', p_res2, 'report', null, 'reported', null, 'grid', null, null, '', null),

    ('f1000000-0000-4000-8000-000000000002', c_ch, t - interval '20 hours', p_res, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000002', c_ch, t - interval '19 hours', p_vol, 'join', 'reported', 'reported', 'grid', 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000002', c_ch, t - interval '18 hours', p_gw, 'accept', 'reported', 'accepted', 'grid', 'grid', t - interval '8 hours', true,
     '已联系保洁公司，今天下午清运。', null),

    ('f1000000-0000-4000-8000-000000000003', c_ch, t - interval '1 day', p_vol, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000003', c_ch, t - interval '23 hours', p_gw2, 'accept', 'reported', 'accepted', 'grid', 'grid', t - interval '20 hours', true, '', null),
    ('f1000000-0000-4000-8000-000000000003', c_ch, t - interval '22 hours', p_gw2, 'start', 'accepted', 'in_progress', 'grid', 'grid', null, null,
     '已在南门贴出通知，正在联系车主挪车，并请物业划出停车区。', null),

    ('f1000000-0000-4000-8000-000000000004', c_ch, t - interval '3 days', p_sup, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000004', c_ch, t - interval '2 days 20 hours', p_gw2, 'accept', 'reported', 'accepted', 'grid', 'grid', t - interval '2 days', true, '', null),
    ('f1000000-0000-4000-8000-000000000004', c_ch, t - interval '4 hours', p_gw2, 'escalate', 'accepted', 'reported', 'grid', 'community', null, null,
     '上门劝了两次，装修公司不配合，需要社区出面协调。', null),

    ('f1000000-0000-4000-8000-000000000005', c_ch, t - interval '4 days 2 hours', p_res, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000005', c_ch, t - interval '4 days', p_gw, 'accept', 'reported', 'accepted', 'grid', 'grid', t - interval '3 days 2 hours', true, '', null),
    ('f1000000-0000-4000-8000-000000000005', c_ch, t - interval '3 days', p_gw, 'start', 'accepted', 'in_progress', 'grid', 'grid', null, null, '已请疏通师傅明天上午来。', null),
    ('f1000000-0000-4000-8000-000000000005', c_ch, t - interval '1 day', p_gw, 'resolve', 'in_progress', 'resolved', 'grid', 'grid', t - interval '1 day' + interval '1 hour', true,
     '下水道已疏通，清出大量落叶和泥沙，试水排水正常。', null),

    ('f1000000-0000-4000-8000-000000000006', c_ch, lm, p_res2, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '1 day 1 hour', null, 'auto_escalate', 'reported', 'reported', 'grid', 'community', lm + interval '1 day', false,
     '超过受理时限，自动转社区', null),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '2 days', p_com, 'accept', 'reported', 'accepted', 'community', 'community', lm + interval '2 days 1 hour', true, '', null),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '2 days 2 hours', p_com, 'call_department', 'accepted', 'accepted', 'community', 'community', null, null,
     '路灯线路归供电所维护。', power),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '2 days 20 hours', p_dep, 'department_report', 'accepted', 'accepted', 'community', 'community',
     lm + interval '3 days 2 hours', true, '已到场更换两盏路灯的灯头和一段老化线路，晚上试灯正常。', power),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '3 days', p_com, 'resolve', 'accepted', 'resolved', 'community', 'community', lm + interval '6 days', true,
     '供电所已修复，两盏路灯恢复照明。', null),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '3 days 12 hours', p_res2, 'confirm', 'resolved', 'confirmed', 'community', 'community', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000006', c_ch, lm + interval '4 days', p_res2, 'rate', 'confirmed', 'confirmed', 'community', 'community', null, null,
     '供电所的师傅来得快，修得也好。', null),

    ('f1000000-0000-4000-8000-000000000007', c_ch, lm, p_res, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000007', c_ch, lm + interval '3 hours', p_gw, 'accept', 'reported', 'accepted', 'grid', 'grid', lm + interval '1 day', true, '', null),
    ('f1000000-0000-4000-8000-000000000007', c_ch, lm + interval '2 days', p_gw, 'resolve', 'accepted', 'resolved', 'grid', 'grid', lm + interval '3 days 3 hours', true,
     '联系了堆放杂物的住户，已清走，楼道恢复通畅。', null),
    ('f1000000-0000-4000-8000-000000000007', c_ch, lm + interval '2 days 6 hours', p_res, 'confirm', 'resolved', 'confirmed', 'grid', 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000007', c_ch, lm + interval '3 days', p_res, 'rate', 'confirmed', 'confirmed', 'grid', 'grid', null, null, '', null),

    ('f1000000-0000-4000-8000-000000000008', c_ch, lm + interval '12 hours', p_res2, 'report', null, 'reported', null, 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000008', c_ch, lm + interval '20 hours', p_gw, 'accept', 'reported', 'accepted', 'grid', 'grid', lm + interval '1 day 12 hours', true, '', null),
    ('f1000000-0000-4000-8000-000000000008', c_ch, lm + interval '8 days', p_gw, 'resolve', 'accepted', 'resolved', 'grid', 'grid', lm + interval '5 days 20 hours', false,
     '椅子腿已焊好加固。配件等了几天。', null),
    ('f1000000-0000-4000-8000-000000000008', c_ch, lm + interval '8 days 10 hours', p_res2, 'confirm', 'resolved', 'confirmed', 'grid', 'grid', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000008', c_ch, lm + interval '9 days', p_res2, 'rate', 'confirmed', 'confirmed', 'grid', 'grid', null, null, '修好了，就是慢了点。', null),

    ('f1000000-0000-4000-8000-000000000009', c_lt, t - interval '3 hours', p_vil, 'report', null, 'reported', null, 'community', null, null, '', null),

    ('f1000000-0000-4000-8000-000000000010', c_lt, t - interval '2 days', p_gy, 'report', null, 'reported', null, 'community', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000010', c_lt, t - interval '1 day 20 hours', p_vcom, 'accept', 'reported', 'accepted', 'community', 'community', t - interval '1 day', true, '', null),
    ('f1000000-0000-4000-8000-000000000010', c_lt, t - interval '1 day', p_vcom, 'start', 'accepted', 'in_progress', 'community', 'community', null, null,
     '已约两户本周六上午到村委会调解，请司法所派人参加。', null),

    ('f1000000-0000-4000-8000-000000000011', c_lt, lm, p_vil, 'report', null, 'reported', null, 'community', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000011', c_lt, lm + interval '1 hour', p_vcom, 'accept', 'reported', 'accepted', 'community', 'community', lm + interval '4 hours', true, '', null),
    ('f1000000-0000-4000-8000-000000000011', c_lt, lm + interval '1 day', p_vcom, 'resolve', 'accepted', 'resolved', 'community', 'community', lm + interval '2 days 1 hour', true,
     '请了村里的电工和两位村民，用升降车把枯枝锯掉运走。', null),
    ('f1000000-0000-4000-8000-000000000011', c_lt, lm + interval '1 day 8 hours', p_vil, 'confirm', 'resolved', 'confirmed', 'community', 'community', null, null, '', null),
    ('f1000000-0000-4000-8000-000000000011', c_lt, lm + interval '2 days', p_vil, 'rate', 'confirmed', 'confirmed', 'community', 'community', null, null, '村里当天就找人锯掉了。', null);

  -- A dispute 刘网格 mediated last month, with a follow-up visit this month.
  insert into app.disputes (id, community_id, grid_id, title, details, party_household_ids, status, agreement, created_by, created_at, concluded_at) values
    ('f4000000-0000-4000-8000-000000000001', c_ch, g1, '1号楼与2号楼晾衣架占用绿地',
     '1号楼2单元301在两楼之间的绿地上搭了晾衣架，2号楼1单元502认为挡住了一楼的光线，双方多次争吵。',
     array['50000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000002']::uuid[], 'agreed',
     '晾衣架挪到绿地东侧靠墙处，高度不超过两米；社区在绿地西侧另设公共晾晒区。双方签字确认。', p_gw, lm - interval '2 days', lm + interval '5 days');
  insert into app.mediation_sessions (dispute_id, community_id, held_at, mediator_id, notes) values
    ('f4000000-0000-4000-8000-000000000001', c_ch, lm, p_gw, '分别上门听取双方意见，现场查看绿地。双方情绪较大，约定周末再谈。'),
    ('f4000000-0000-4000-8000-000000000001', c_ch, lm + interval '5 days', p_gw, '在社区议事室调解，王主任参加。双方同意挪动晾衣架位置，社区另设晾晒区。');

  insert into app.household_visits (id, community_id, grid_id, household_id, visited_by, visited_at, met, topics, note, follow_up, follow_up_due, follow_up_done_at, dispute_id) values
    ('f5000000-0000-4000-8000-000000000001', c_ch, g1, '50000000-0000-4000-8000-000000000001', p_gw, lm + interval '1 day', '张秀兰本人',
     array['独居老人'], '身体还好，子女周末回来。提到楼道灯不太亮，晚上下楼不方便。', '帮她申请居家养老服务的助餐', (lm + interval '20 days')::date,
     lm + interval '15 days', null),
    ('f5000000-0000-4000-8000-000000000002', c_ch, g1, '50000000-0000-4000-8000-000000000002', p_gw, lm + interval '6 days', '李国强和爱人',
     array['矛盾纠纷'], '回访晾衣架的协议执行情况，对方已按协议挪走，双方没有再争吵。', null, null, null, 'f4000000-0000-4000-8000-000000000001'),
    ('f5000000-0000-4000-8000-000000000003', c_ch, g1, '50000000-0000-4000-8000-000000000001', p_gw, t - interval '2 days', '张秀兰本人',
     array['独居老人', '政策咨询'], '问了高龄津贴怎么申请，已教她在小程序里看办事指南。', '下周陪她到便民服务中心办高龄津贴', (t + interval '5 days')::date, null, null),
    ('f5000000-0000-4000-8000-000000000004', c_ch, g2, '50000000-0000-4000-8000-000000000004', p_gw2, t - interval '5 days', '陈晓雨',
     array['其他'], '了解志愿服务队的活动安排，她愿意周末帮忙劝导南门停车。', null, null, null, null);

  insert into app.work_logs (community_id, grid_id, author_id, day, body, created_at) values
    (c_ch, g1, p_gw, (t - interval '2 days')::date, '上午走访1号楼张秀兰，讲高龄津贴政策；下午巡查春晖广场，垃圾桶满溢已通知保洁。', t - interval '2 days'),
    (c_ch, g1, p_gw, (t - interval '1 day')::date, '疏通1号楼2单元门口下水道，师傅清出大量落叶。晚上在楼栋群里提醒大家不要往雨水口扫垃圾。', t - interval '1 day');
end
$$;
