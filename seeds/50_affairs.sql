-- Demo consultation: thresholds, the two procedures, rosters of representatives and party members,
-- a topic collecting signatures, an open poll and a closed one.
insert into app.affairs_settings (community_id, cosign_threshold) values
  ('20000000-0000-4000-8000-000000000001', 3), ('20000000-0000-4000-8000-000000000002', 5)
on conflict do nothing;

insert into app.procedure_templates (id, community_id, name) values
  ('e1000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '社区议事六步法'),
  ('e1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000002', '四议两公开')
on conflict do nothing;
insert into app.procedure_steps (template_id, step_no, name, run_by, roster, publishes) values
  ('e1000000-0000-4000-8000-000000000001', 1, '党组织提议', 'committee', null, null),
  ('e1000000-0000-4000-8000-000000000001', 2, '两委商议', 'committee', null, null),
  ('e1000000-0000-4000-8000-000000000001', 3, '党员大会审议', 'committee', 'party_member', null),
  ('e1000000-0000-4000-8000-000000000001', 4, '居民代表大会决议', 'committee', 'representative', null),
  ('e1000000-0000-4000-8000-000000000001', 5, '监督委员会监事', 'supervisor', null, null),
  ('e1000000-0000-4000-8000-000000000001', 6, '决议结果公示', 'committee', null, 'decision'),
  ('e1000000-0000-4000-8000-000000000002', 1, '党支部会提议', 'committee', null, null),
  ('e1000000-0000-4000-8000-000000000002', 2, '两委会商议', 'committee', null, null),
  ('e1000000-0000-4000-8000-000000000002', 3, '党员大会审议', 'committee', 'party_member', null),
  ('e1000000-0000-4000-8000-000000000002', 4, '村民代表会议决议', 'committee', 'representative', null),
  ('e1000000-0000-4000-8000-000000000002', 5, '决议公开', 'committee', null, 'decision'),
  ('e1000000-0000-4000-8000-000000000002', 6, '实施结果公开', 'committee', null, 'result')
on conflict do nothing;

-- Representatives and party members: some personas plus neighbours without a demo login.
insert into app.profiles (id, display_name, real_name)
select ('e2000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, x.name, x.name
  from unnest(array['钱文杰','孙丽华','周建国','吴秀英','郑海涛','冯桂芳','陈志刚','褚玉兰','卫国庆','蒋淑珍','沈德胜','韩美玲',
                    '杨春生','朱丽娟','秦永福','尤桂兰']) with ordinality x(name, n)
on conflict do nothing;

insert into app.member_tags (profile_id, community_id, tag)
select p, '20000000-0000-4000-8000-000000000001'::uuid, 'representative' from unnest(array[
  '60000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000002', '60000000-0000-4000-8000-000000000004',
  '60000000-0000-4000-8000-000000000008', 'e2000000-0000-4000-8000-000000000001', 'e2000000-0000-4000-8000-000000000002',
  'e2000000-0000-4000-8000-000000000003', 'e2000000-0000-4000-8000-000000000004', 'e2000000-0000-4000-8000-000000000005',
  'e2000000-0000-4000-8000-000000000006', 'e2000000-0000-4000-8000-000000000007', 'e2000000-0000-4000-8000-000000000008']::uuid[]) p
union all
select p, '20000000-0000-4000-8000-000000000001'::uuid, 'party_member' from unnest(array[
  '60000000-0000-4000-8000-000000000007', '60000000-0000-4000-8000-000000000005', '60000000-0000-4000-8000-000000000006',
  '60000000-0000-4000-8000-000000000008', 'e2000000-0000-4000-8000-000000000009', 'e2000000-0000-4000-8000-000000000010',
  'e2000000-0000-4000-8000-000000000011', 'e2000000-0000-4000-8000-000000000012', 'e2000000-0000-4000-8000-000000000013']::uuid[]) p
union all
select p, '20000000-0000-4000-8000-000000000002'::uuid, t from unnest(array[
  '60000000-0000-4000-8000-000000000003', '60000000-0000-4000-8000-000000000013', 'e2000000-0000-4000-8000-000000000014',
  'e2000000-0000-4000-8000-000000000015', 'e2000000-0000-4000-8000-000000000016']::uuid[]) p, (values ('representative')) v(t)
on conflict do nothing;

-- Demo topics have passed the content check (new ones wait for it).
insert into app.topics (id, community_id, title, description, raised_by, created_at, check_status, check_provider) values
  ('e3000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '3号楼前健身器材老化，建议更换',
   '3号楼前的漫步机和扭腰器已经生锈，转轴松动，老人锻炼时容易摔倒。建议用公共收益更换，或者先拆除有危险的两件。',
   '60000000-0000-4000-8000-000000000004', now() - interval '3 days', 'passed', 'seed')
on conflict do nothing;
insert into app.topic_cosigns (topic_id, profile_id, created_at) values
  ('e3000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000004', now() - interval '3 days')
on conflict do nothing;

insert into app.polls (id, community_id, title, description, multiple, options, electorate, live_results, opens_at, closes_at, created_by) values
  ('e4000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '社区老年食堂满意度调查',
   '老年食堂运营半年了，请您给饭菜、价格和服务打个分，帮助我们改进。', false,
   '[{"id":1,"label":"很满意"},{"id":2,"label":"比较满意"},{"id":3,"label":"一般"},{"id":4,"label":"不满意"}]',
   'residents', false, now() - interval '2 days', now() + interval '12 days', '60000000-0000-4000-8000-000000000007'),
  ('e4000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '小区垃圾分类投放时间征求意见',
   '每户一票：您希望定时定点投放安排在什么时段？', true,
   '[{"id":1,"label":"早上 7:00–9:00"},{"id":2,"label":"中午 11:30–13:00"},{"id":3,"label":"晚上 18:30–20:30"}]',
   'households', false, now() - interval '20 days', now() - interval '5 days', '60000000-0000-4000-8000-000000000007')
on conflict do nothing;
insert into app.poll_voters (poll_id, voter_key, idempotency_key)
select 'e4000000-0000-4000-8000-000000000002', h, 'seed-' || h from unnest(array[
  '50000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000004', '50000000-0000-4000-8000-000000000005']::uuid[]) h
on conflict do nothing;
insert into app.poll_ballots (id, poll_id, choices) values
  ('e5000000-0000-4000-8000-000000000001', 'e4000000-0000-4000-8000-000000000002', '{1,3}'),
  ('e5000000-0000-4000-8000-000000000002', 'e4000000-0000-4000-8000-000000000002', '{3}'),
  ('e5000000-0000-4000-8000-000000000003', 'e4000000-0000-4000-8000-000000000002', '{3}')
on conflict do nothing;
