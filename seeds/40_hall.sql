-- Demo 事项清单 for both communities, holidays, appointment slots and a couple of cases.
insert into app.service_items (id, community_id, name, department, theme, eligibility, materials, steps, time_limit_days, fee,
                               offline_address, offline_hours, online, appointment, proxy_allowed, form) values
  ('d1000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '居住证明', '社区居委会', '证明开具',
   '在本社区实际居住的居民（含租户）',
   '["申请人身份证原件", "户口本，或房产证，或房屋租赁合同（任选一）", "代办的，另带代办人身份证"]',
   '["网上提交申请", "社区核实居住情况（网格员可能电话或上门核实）", "开具证明，到社区服务中心领取或寄到家"]',
   3, '免费', '春晖社区党群服务中心一楼 2 号窗口', '周一至周五 8:30–12:00，14:00–17:30', true, false, true,
   '[{"key":"name","label":"需要证明的人的姓名","type":"text","required":true},
     {"key":"idNumber","label":"身份证号","type":"idcard","required":true},
     {"key":"purpose","label":"用途","type":"select","required":true,"options":["子女入学","办理居住证","就业","银行或保险","其他"]},
     {"key":"phone","label":"联系电话","type":"phone","required":false},
     {"key":"proof","label":"居住材料（写明是房产证还是租赁合同）","type":"text","required":true}]'),
  ('d1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '最低生活保障（低保）申请', '社区民政专干', '困难救助',
   '家庭人均收入低于当地低保标准、且财产符合规定的本地户籍家庭',
   '["户口本、全家身份证", "家庭收入情况说明", "残疾、疾病的相关证明（如有）", "银行卡（本人名下）"]',
   '["提交申请", "社区入户调查", "民主评议并公示 7 天", "街道审核、区民政局审批", "按月发放"]',
   30, '免费', '春晖社区党群服务中心一楼 3 号窗口', '周一至周五 8:30–12:00，14:00–17:30', true, true, true,
   '[{"key":"name","label":"申请人姓名","type":"text","required":true},
     {"key":"idNumber","label":"身份证号","type":"idcard","required":true},
     {"key":"members","label":"家庭人口数","type":"number","required":true},
     {"key":"income","label":"家庭月收入合计（元）","type":"number","required":true},
     {"key":"reason","label":"困难情况简述","type":"text","required":true}]'),
  ('d1000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', '高龄津贴申领', '社区民政专干', '养老',
   '年满 80 周岁的本地户籍老人', '["老人身份证", "户口本", "老人本人银行卡"]', '["提交申请", "社区核对年龄与户籍", "街道审核后按月发放"]',
   10, '免费', '春晖社区党群服务中心一楼 3 号窗口', '周一至周五 8:30–12:00，14:00–17:30', true, false, true,
   '[{"key":"name","label":"老人姓名","type":"text","required":true},{"key":"idNumber","label":"老人身份证号","type":"idcard","required":true},
     {"key":"bankCard","label":"发放银行卡号","type":"text","required":true}]'),
  ('d1000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', '城乡居民医保参保登记', '社区社保窗口', '医保',
   '未参加职工医保的本地居民', '["身份证", "户口本（新生儿带出生证明）"]', '["登记", "缴费（可微信缴纳）", "次年 1 月 1 日起享受待遇"]',
   5, '个人缴费 380 元/年', '春晖社区党群服务中心一楼 1 号窗口', '周一至周五 8:30–12:00，14:00–17:30', true, false, true,
   '[{"key":"name","label":"参保人姓名","type":"text","required":true},{"key":"idNumber","label":"身份证号","type":"idcard","required":true},
     {"key":"phone","label":"联系电话","type":"phone","required":true}]'),
  ('d1000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000001', '残疾人证办理', '区残联（社区代收）', '残疾人',
   '本地户籍残疾人', '["身份证、户口本", "近期二寸白底照片 2 张", "相关病历"]', '["预约后到窗口提交材料", "到指定医院评残", "区残联审核发证"]',
   20, '免费', '春晖社区党群服务中心一楼 3 号窗口', '周一至周五 8:30–12:00，14:00–17:30', false, true, true, '[]'),
  ('d1000000-0000-4000-8000-000000000006', '20000000-0000-4000-8000-000000000001', '个体工商户登记', '青石街道市场监管所', '证照办理',
   '在本辖区经营的个体户', '["经营者身份证", "经营场所使用证明（房产证或租赁合同）"]', '["预约", "窗口提交（或网上一网通办）", "领取营业执照"]',
   3, '免费', '青石街道便民服务中心 5 号窗口', '周一至周五 9:00–17:00', false, true, true, '[]'),
  ('d1000000-0000-4000-8000-000000000007', '20000000-0000-4000-8000-000000000001', '食品经营许可', '青石街道市场监管所', '证照办理',
   '从事食品销售、餐饮服务的经营者', '["营业执照", "食品安全管理制度", "从业人员健康证明", "经营场所平面图"]',
   '["预约", "提交材料", "现场核查", "发证"]', 15, '免费', '青石街道便民服务中心 5 号窗口', '周一至周五 9:00–17:00', false, true, false, '[]'),
  ('d1000000-0000-4000-8000-000000000008', '20000000-0000-4000-8000-000000000001', '灵活就业人员登记', '社区就业服务站', '就业',
   '本地户籍、在法定劳动年龄内的灵活就业人员', '["身份证", "就业情况说明"]', '["登记", "可申请社保补贴"]',
   5, '免费', '春晖社区党群服务中心二楼就业服务站', '周一至周五 8:30–12:00', true, false, true,
   '[{"key":"name","label":"姓名","type":"text","required":true},{"key":"idNumber","label":"身份证号","type":"idcard","required":true},
     {"key":"work","label":"从事的工作","type":"text","required":true}]'),
  ('d1000000-0000-4000-8000-000000000009', '20000000-0000-4000-8000-000000000002', '居住证明', '柳塘村村委会', '证明开具',
   '在本村实际居住的村民', '["身份证", "户口本"]', '["提交", "村委会核实", "开具"]', 3, '免费', '柳塘村村委会一楼', '每天 8:00–11:30', true, false, true,
   '[{"key":"name","label":"姓名","type":"text","required":true},{"key":"purpose","label":"用途","type":"text","required":true}]')
on conflict do nothing;

insert into app.holidays (community_id, day, kind, name)
select c.id, d.day, d.kind, d.name from app.communities c,
  (values ('2027-01-01'::date, 'holiday', '元旦'), ('2026-12-31'::date, 'workday', '元旦调休')) d(day, kind, name)
on conflict do nothing;

-- Slots for the next five working days at 9:00, 10:00 and 14:30 for the items taken by appointment.
insert into app.appointment_slots (community_id, item_id, starts_at, ends_at, capacity)
select i.community_id, i.id, (d.day + t.t) at time zone 'Asia/Shanghai', (d.day + t.t) at time zone 'Asia/Shanghai' + interval '30 minutes', 3
  from app.service_items i
  cross join (select g::date as day from generate_series(app.today() + 1, app.today() + 8, interval '1 day') g) d
  cross join (values (time '09:00'), (time '10:00'), (time '14:30')) t(t)
 where i.appointment and app.is_working_day(i.community_id, d.day)
on conflict do nothing;

-- 李国强 has a 高龄津贴 case for his father in progress.
insert into app.applications (id, community_id, item_id, applicant_id, status, form_data, due_on, idempotency_key, created_by, created_at, updated_at)
values ('d2000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'd1000000-0000-4000-8000-000000000003',
        '60000000-0000-4000-8000-000000000002', 'processing',
        '{"name":"李德福","idNumber":"430102194403150018","bankCard":"6217 0000 1234 5678"}',
        app.add_working_days('20000000-0000-4000-8000-000000000001', app.today() - 4, 10), 'seed-case-1',
        '60000000-0000-4000-8000-000000000002', now() - interval '4 days', now() - interval '2 days')
on conflict do nothing;
insert into app.application_events (application_id, at, actor_id, from_status, to_status, note)
select 'd2000000-0000-4000-8000-000000000001', x.at, x.actor, x.f::app.application_status, x.t::app.application_status, x.note
  from (values (now() - interval '4 days', '60000000-0000-4000-8000-000000000002'::uuid, null, 'submitted', ''),
               (now() - interval '3 days', '60000000-0000-4000-8000-000000000006'::uuid, 'submitted', 'accepted', '材料齐全，已受理'),
               (now() - interval '2 days', '60000000-0000-4000-8000-000000000006'::uuid, 'accepted', 'processing', '已报街道审核')) x(at, actor, f, t, note)
 where not exists (select 1 from app.application_events where application_id = 'd2000000-0000-4000-8000-000000000001');
