-- Demo notices: what a 社区 and a 村 actually post. Published versions are sealed with their hash.
-- Idempotent: fixed ids; versions are only published once.

insert into app.notices (id, community_id, category, audience_grid_ids, pinned, important, finance_period, created_by, created_at) values
  ('a1000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'policy', null, true, false, null,
   '60000000-0000-4000-8000-000000000007', now() - interval '6 days'),
  ('a1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', 'routine', '{30000000-0000-4000-8000-000000000001}', false, false, null,
   '60000000-0000-4000-8000-000000000007', now() - interval '3 days'),
  ('a1000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', 'finance', null, false, true, '2026年10月',
   '60000000-0000-4000-8000-000000000007', now() - interval '10 days'),
  ('a1000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', 'party', null, false, false, null,
   '60000000-0000-4000-8000-000000000007', now() - interval '2 days'),
  ('a1000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000001', 'emergency', null, false, true, null,
   '60000000-0000-4000-8000-000000000007', now() - interval '2 hours'),
  ('a1000000-0000-4000-8000-000000000006', '20000000-0000-4000-8000-000000000001', 'affairs', null, false, true, null,
   '60000000-0000-4000-8000-000000000007', now() - interval '1 day'),
  ('a1000000-0000-4000-8000-000000000007', '20000000-0000-4000-8000-000000000001', 'temporary', null, false, false, null,
   '60000000-0000-4000-8000-000000000007', now() - interval '30 minutes'),
  ('a1000000-0000-4000-8000-000000000008', '20000000-0000-4000-8000-000000000002', 'finance', null, true, true, '2026年第三季度',
   '60000000-0000-4000-8000-000000000010', now() - interval '20 days'),
  ('a1000000-0000-4000-8000-000000000009', '20000000-0000-4000-8000-000000000002', 'routine', '{30000000-0000-4000-8000-000000000004}', false, false, null,
   '60000000-0000-4000-8000-000000000010', now() - interval '4 days')
on conflict do nothing;

insert into app.notice_versions (notice_id, version, title, body, written_by, written_at, submitted_at, reviewed_by, reviewed_at) values
  ('a1000000-0000-4000-8000-000000000001', 1, '2027年度城乡居民医保开始缴费啦',
   E'2027年度城乡居民基本医疗保险集中缴费期为 2026年11月1日至12月31日，个人缴费每人 400 元。\n\n缴费方式：微信搜索“湖南税务”小程序，或带身份证到社区便民服务中心窗口代缴。\n\n低保、特困、重度残疾人员由政府资助参保，无需个人缴费，请到社区核对名单。\n\n不会用手机的老人，可以打社区电话，网格员上门帮您办。',
   '60000000-0000-4000-8000-000000000007', now() - interval '6 days', now() - interval '6 days', null, null),
  ('a1000000-0000-4000-8000-000000000002', 1, '第一网格楼道消防设施检查安排',
   E'12月3日（周三）上午 9:00 起，社区联合物业对 1 号楼、2 号楼的楼道消火栓、灭火器和应急灯逐层检查。\n\n请各家把堆在楼道里的纸箱、电动车电池搬回家中。检查期间需要进入一楼配电间，届时会短暂停电约 10 分钟。',
   '60000000-0000-4000-8000-000000000007', now() - interval '3 days', now() - interval '3 days', null, null),
  ('a1000000-0000-4000-8000-000000000003', 1, '春晖社区2026年10月公共收益收支公开',
   E'根据社区公共收益管理办法，现将 2026年10月 公共收益收支情况公开如下，接受全体居民监督。对明细有疑问的，可以在下方提问，或在每周三下午到社区财务室查阅凭证。',
   '60000000-0000-4000-8000-000000000007', now() - interval '10 days', now() - interval '9 days', '60000000-0000-4000-8000-000000000008', now() - interval '8 days'),
  ('a1000000-0000-4000-8000-000000000004', 1, '社区党委12月主题党日活动安排',
   E'12月的主题党日定在 12月9日（周二）下午 2:30，地点在社区党群服务中心二楼会议室。\n\n内容：学习基层治理有关文件；通报第四季度党费收缴情况；组织党员认领“楼道微心愿”。行动不便的老党员由网格支部书记上门送学。',
   '60000000-0000-4000-8000-000000000007', now() - interval '2 days', now() - interval '2 days', null, null),
  ('a1000000-0000-4000-8000-000000000005', 1, '今晚22点至明早6点3号楼、5号楼停水',
   E'因市政供水管网维修，今晚 22:00 至明早 6:00，3 号楼、5 号楼停水。请提前储水。\n\n家中有卧床老人需要送水的，请拨打网格员电话，志愿者会上门。',
   '60000000-0000-4000-8000-000000000007', now() - interval '2 hours', now() - interval '2 hours', null, null),
  ('a1000000-0000-4000-8000-000000000006', 1, '关于3号楼加装电梯意见征集结果的公示',
   E'3 号楼 2 单元加装电梯意见征集已于 11月20日结束：本单元 12 户中，同意 10 户，不同意 1 户，未表态 1 户。\n\n按照加装电梯相关规定，公示期 10 天。有异议的居民请在公示期内向社区书面提出。',
   '60000000-0000-4000-8000-000000000007', now() - interval '1 day', now() - interval '20 hours', null, null),
  ('a1000000-0000-4000-8000-000000000007', 1, '周末社区义诊（草稿）',
   E'本周六上午，社区卫生服务站医生在党群服务中心门口义诊：量血压、测血糖、用药咨询。',
   '60000000-0000-4000-8000-000000000007', now() - interval '30 minutes', null, null, null),
  ('a1000000-0000-4000-8000-000000000008', 1, '柳塘村2026年第三季度村级财务公开',
   E'经村务监督委员会审核，现将本村 2026年第三季度 村级财务收支情况公开如下。村民对账目有疑问的，可在下方提问，也可到村委会查阅原始凭证。',
   '60000000-0000-4000-8000-000000000010', now() - interval '20 days', now() - interval '19 days', null, now() - interval '18 days'),
  ('a1000000-0000-4000-8000-000000000009', 1, '西片网格水渠清淤安排',
   E'11月28日起，西头组、山脚组的灌溉水渠集中清淤，请各户把渠边的柴草挪开。需要出工的，每户出一个劳力，由组长登记。',
   '60000000-0000-4000-8000-000000000010', now() - interval '4 days', now() - interval '4 days', null, null)
on conflict do nothing;

insert into app.finance_lines (notice_id, version, line_no, occurred_on, item, direction, amount_fen, counterparty) values
  ('a1000000-0000-4000-8000-000000000003', 1, 1, '2026-10-08', '小区广告位租金（10月）', 'income', 360000, '临江分众传媒'),
  ('a1000000-0000-4000-8000-000000000003', 1, 2, '2026-10-12', '临时停车收费', 'income', 184500, '社区停车管理'),
  ('a1000000-0000-4000-8000-000000000003', 1, 3, '2026-10-15', '楼道照明灯具更换（1-5号楼）', 'expense', 126800, '明亮五金店'),
  ('a1000000-0000-4000-8000-000000000003', 1, 4, '2026-10-22', '重阳节慰问高龄老人（38人）', 'expense', 190000, '春晖超市'),
  ('a1000000-0000-4000-8000-000000000003', 1, 5, '2026-10-28', '积分超市商品采购', 'expense', 85600, '春晖超市'),
  ('a1000000-0000-4000-8000-000000000008', 1, 1, '2026-07-05', '村集体山林承包费', 'income', 2400000, '柳塘林业合作社'),
  ('a1000000-0000-4000-8000-000000000008', 1, 2, '2026-08-18', '上级转移支付（村级运转经费）', 'income', 1500000, '青石街道财政所'),
  ('a1000000-0000-4000-8000-000000000008', 1, 3, '2026-08-25', '村道路灯维修', 'expense', 463000, '临江电力安装队'),
  ('a1000000-0000-4000-8000-000000000008', 1, 4, '2026-09-10', '水渠清淤工时补贴', 'expense', 720000, '西片各户（按工时）')
on conflict do nothing;

-- Publish what the demo shows as published (not the affairs notice under review, not the draft).
update app.notice_versions v
   set status = 'published', published_at = v.submitted_at, published_by = v.written_by,
       reviewed_by = coalesce(v.reviewed_by, case when n.category in ('affairs', 'finance') and n.community_id = '20000000-0000-4000-8000-000000000002'
                                                    then '60000000-0000-4000-8000-000000000014'::uuid end),
       content_sha256 = app.notice_content_sha256(v.notice_id, v.version)
  from app.notices n
 where n.id = v.notice_id and v.status = 'draft' and v.submitted_at is not null
   and v.notice_id in ('a1000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000002',
                       'a1000000-0000-4000-8000-000000000003', 'a1000000-0000-4000-8000-000000000004',
                       'a1000000-0000-4000-8000-000000000005', 'a1000000-0000-4000-8000-000000000008',
                       'a1000000-0000-4000-8000-000000000009');
update app.notice_versions set status = 'submitted'
 where notice_id = 'a1000000-0000-4000-8000-000000000006' and status = 'draft';
update app.notices n set first_published_at = v.published_at
  from app.notice_versions v
 where v.notice_id = n.id and v.version = 1 and v.status = 'published' and n.first_published_at is null
   and n.id::text like 'a1000000-0000-4000-8000-%';

-- The policy notice was corrected once (the fee was misprinted): version 2.
insert into app.notice_versions (notice_id, version, title, body, correction_note, written_by, written_at, submitted_at)
select id, 2, '2027年度城乡居民医保开始缴费啦',
   E'2027年度城乡居民基本医疗保险集中缴费期为 2026年11月1日至12月31日，个人缴费每人 380 元。\n\n缴费方式：微信搜索“湖南税务”小程序，或带身份证到社区便民服务中心窗口代缴。\n\n低保、特困、重度残疾人员由政府资助参保，无需个人缴费，请到社区核对名单。\n\n不会用手机的老人，可以打社区电话，网格员上门帮您办。',
   '个人缴费金额更正为 380 元（原文误写为 400 元）', '60000000-0000-4000-8000-000000000007', now() - interval '5 days', now() - interval '5 days'
  from app.notices where id = 'a1000000-0000-4000-8000-000000000001'
on conflict do nothing;
update app.notice_versions v
   set status = 'published', published_at = v.submitted_at, published_by = v.written_by,
       content_sha256 = app.notice_content_sha256(v.notice_id, v.version)
 where v.notice_id = 'a1000000-0000-4000-8000-000000000001' and v.version = 2 and v.status = 'draft';

-- A question and its answer under the 10月 finance disclosure; some reads.
insert into app.notice_questions (id, notice_id, asker_id, body, check_status, check_provider, created_at, answer, answered_by, answered_at) values
  ('a2000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000003', '60000000-0000-4000-8000-000000000002',
   '临时停车收费是按月统计的吗？能不能把每天的收费记录也公开一下？', 'passed', 'seed', now() - interval '7 days',
   '按月汇总公开。每天的收费记录在社区财务室可以查阅，每周三下午有专人接待。', '60000000-0000-4000-8000-000000000007', now() - interval '6 days')
on conflict do nothing;

insert into app.notice_reads (notice_id, profile_id, household_id, first_read_at) values
  ('a1000000-0000-4000-8000-000000000003', '60000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000002', now() - interval '7 days'),
  ('a1000000-0000-4000-8000-000000000001', '60000000-0000-4000-8000-000000000002', '50000000-0000-4000-8000-000000000002', now() - interval '5 days')
on conflict do nothing;
