-- Points mall lists as pages: the goods on the shelf (cheapest first), my redemptions (newest first),
-- and the goods of a period's report; the report's totals read index ranges of handed-over and reserved
-- redemptions instead of the community's whole history.

create index goods_shelf_idx on app.goods (community_id, on_shelf, price_points, name, id);
create index redemptions_profile_created_idx on app.redemptions (profile_id, created_at, id);
create index redemptions_handed_over_idx on app.redemptions (community_id, handed_over_at) where status = 'handed_over';
create index redemptions_reserved_idx on app.redemptions (community_id) where status = 'reserved';
create index redemptions_goods_handed_idx on app.redemptions (goods_id, handed_over_at) where status = 'handed_over';

drop function public.list_goods(uuid, boolean);

-- Goods a member may redeem (on the shelf); committee and clerks may include those taken off.
create function public.list_goods(p_community_id uuid, p_include_off_shelf boolean default false, p_limit integer default 20,
                                  p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 4), array['0', '-1', '', '00000000-0000-0000-0000-000000000000']);
  v_all boolean;
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.is_member(p_community_id) then
    return app.page(null, v_limit);
  end if;
  v_all := p_include_off_shelf and app.has_role(p_community_id, '{committee,clerk}');
  -- On the shelf first (rank 0), then off it; cheapest first within each.
  select jsonb_agg(jsonb_build_object('i', app.goods_json(g),
                   'c', app.encode_cursor(array[(case when g.on_shelf then 0 else 1 end)::text, g.price_points::text, g.name, g.id::text]))
                   order by case when g.on_shelf then 0 else 1 end, g.price_points, g.name, g.id)
    into v_rows
    from (select x.* from app.goods x
           where x.community_id = p_community_id and (x.on_shelf or v_all)
             and (case when x.on_shelf then 0 else 1 end, x.price_points, x.name, x.id)
                 > (c[1]::integer, c[2]::integer, c[3], c[4]::uuid)
           order by case when x.on_shelf then 0 else 1 end, x.price_points, x.name, x.id limit v_limit + 1) g;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_my_redemptions(uuid);

create function public.list_my_redemptions(p_community_id uuid default null, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rows jsonb;
begin
  if p_community_id is null then
    select jsonb_agg(jsonb_build_object('i', app.redemption_json(r), 'c', app.encode_cursor(array[r.created_at::text, r.id::text]))
                     order by r.created_at desc, r.id desc)
      into v_rows
      from (select * from app.redemptions x where x.profile_id = v_uid and (x.created_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
             order by x.created_at desc, x.id desc limit v_limit + 1) r;
  else
    select jsonb_agg(jsonb_build_object('i', app.redemption_json(r), 'c', app.encode_cursor(array[r.created_at::text, r.id::text]))
                     order by r.created_at desc, r.id desc)
      into v_rows
      from (select * from app.redemptions x
             where x.profile_id = v_uid and x.community_id = p_community_id and (x.created_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
             order by x.created_at desc, x.id desc limit v_limit + 1) r;
  end if;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.get_mall_report(uuid, date, date);

-- 积分超市台账 for a period: totals, and the goods (by name) as pages.
create function public.get_mall_report(p_community_id uuid, p_from date, p_to date, p_limit integer default 50, p_cursor text default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_from timestamptz := p_from::timestamp at time zone 'Asia/Shanghai';
  v_to timestamptz := (p_to + 1)::timestamp at time zone 'Asia/Shanghai';
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
  v_page jsonb;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee,clerk,supervisor,admin}') then
    perform app.fail('core.forbidden');
  end if;
  if p_to < p_from or p_to - p_from > 366 then
    perform app.fail('core.invalid_input', 'field:to');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', g.id, 'name', g.name, 'pricePoints', g.price_points, 'stock', g.stock, 'reserved', g.reserved,
           'handedOver', g.handed_over, 'totalStocked', g.total_stocked,
           'handedOverInPeriod', (select count(*) from app.redemptions r where r.goods_id = g.id and r.status = 'handed_over'
                                   and r.handed_over_at >= v_from and r.handed_over_at < v_to),
           'restockedInPeriod', (select coalesce(sum(sc.delta), 0) from app.goods_stock_changes sc where sc.goods_id = g.id
                                   and sc.created_at >= v_from and sc.created_at < v_to)),
           'c', app.encode_cursor(array[g.name, g.id::text])) order by g.name, g.id)
    into v_rows
    from (select * from app.goods x where x.community_id = p_community_id and (x.name, x.id) > (c[1], c[2]::uuid)
           order by x.name, x.id limit v_limit + 1) g;
  v_page := app.page(v_rows, v_limit);
  return jsonb_build_object(
    'from', p_from, 'to', p_to,
    'handedOverCount', (select count(*) from app.redemptions r where r.community_id = p_community_id and r.status = 'handed_over'
                          and r.handed_over_at >= v_from and r.handed_over_at < v_to),
    'pointsConsumed', (select coalesce(sum(r.points_spent), 0) from app.redemptions r where r.community_id = p_community_id
                         and r.status = 'handed_over' and r.handed_over_at >= v_from and r.handed_over_at < v_to),
    'outstanding', (select count(*) from app.redemptions r where r.community_id = p_community_id and r.status = 'reserved'),
    'outstandingPoints', (select coalesce(sum(r.points_spent), 0) from app.redemptions r where r.community_id = p_community_id and r.status = 'reserved'),
    'goods', v_page -> 'items', 'nextCursor', v_page -> 'nextCursor');
end
$$;

grant execute on function public.list_goods(uuid, boolean, integer, text), public.list_my_redemptions(uuid, integer, text),
  public.get_mall_report(uuid, date, date, integer, text) to authenticated;
