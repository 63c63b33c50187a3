-- Demo 积分超市 goods for both communities, stocked through recorded restocks.
insert into app.goods (id, community_id, name, description, price_points, per_person_limit, limit_period, created_by) values
  ('c1000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '洗衣液 2kg', '蓝月亮深层洁净，社区服务中心一楼领取', 30, 2, 'month', '60000000-0000-4000-8000-000000000006'),
  ('c1000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000001', '东北大米 5kg', '当季新米', 60, 1, 'month', '60000000-0000-4000-8000-000000000006'),
  ('c1000000-0000-4000-8000-000000000003', '20000000-0000-4000-8000-000000000001', '抽纸 6 包', '三层 100 抽', 10, 5, 'month', '60000000-0000-4000-8000-000000000006'),
  ('c1000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000001', '花生油 1.8L', '压榨一级', 80, 1, 'month', '60000000-0000-4000-8000-000000000006'),
  ('c1000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000001', '纯棉毛巾', '两条装', 15, null, 'month', '60000000-0000-4000-8000-000000000006'),
  ('c1000000-0000-4000-8000-000000000006', '20000000-0000-4000-8000-000000000002', '手动喷壶 2L', '打药、浇菜都能用', 25, 1, 'year', '60000000-0000-4000-8000-000000000010'),
  ('c1000000-0000-4000-8000-000000000007', '20000000-0000-4000-8000-000000000002', '食盐 5 袋', '加碘精制盐', 10, 2, 'month', '60000000-0000-4000-8000-000000000010')
on conflict do nothing;

insert into app.goods_stock_changes (goods_id, delta, kind, reason, actor_id, created_at)
select g.id, q.n, 'restock', '首次上架', g.created_by, now() - interval '30 days'
  from app.goods g join (values ('c1000000-0000-4000-8000-000000000001'::uuid, 20), ('c1000000-0000-4000-8000-000000000002'::uuid, 10),
                                ('c1000000-0000-4000-8000-000000000003'::uuid, 50), ('c1000000-0000-4000-8000-000000000004'::uuid, 5),
                                ('c1000000-0000-4000-8000-000000000005'::uuid, 30), ('c1000000-0000-4000-8000-000000000006'::uuid, 12),
                                ('c1000000-0000-4000-8000-000000000007'::uuid, 40)) q(id, n) on q.id = g.id
 where not exists (select 1 from app.goods_stock_changes c where c.goods_id = g.id);

update app.goods g set stock = s.total - g.reserved - g.handed_over, total_stocked = s.total
  from (select goods_id, sum(delta)::integer as total from app.goods_stock_changes
         where goods_id::text like 'c1000000-0000-4000-8000-%' group by goods_id) s
 where s.goods_id = g.id and g.total_stocked <> s.total;
