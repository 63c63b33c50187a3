-- Points mall (积分超市): goods, redemption with pickup codes, hand-over (核销), expiry and refunds.
--
-- Rules enforced here:
--   * stock is counted in three places that always add up: stock (on the shelf) + reserved + handed_over
--     = total_stocked (CHECK); every unit moves by one conditional update, so nothing is ever oversold;
--   * a redemption reserves one unit, debits the available points (app.spend_points: never more than is
--     available, never below zero) and issues a pickup code, all in one transaction; a retry with the same
--     Idempotency-Key returns the same redemption;
--   * the per-person limit per period holds under concurrency (every redemption of a good is serialised on
--     that good's row);
--   * only a clerk of the good's community hands over, once; a handed-over redemption is final;
--   * cancelling (by the resident, before hand-over) and expiry return the unit and refund the points
--     exactly once: whichever closes the redemption first wins, the refund's ledger key is unique;
--   * restocking and stock corrections are recorded with a reason.

create table app.goods (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  name text not null check (char_length(name) between 2 and 40),
  description text not null default '' check (char_length(description) <= 500),
  picture_url text check (picture_url is null or picture_url ~ '^https?://'),
  price_points integer not null check (price_points between 1 and 100000),
  stock integer not null default 0 check (stock >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  handed_over integer not null default 0 check (handed_over >= 0),
  total_stocked integer not null default 0 check (total_stocked >= 0),
  per_person_limit integer check (per_person_limit is null or per_person_limit between 1 and 100),
  limit_period text not null default 'month' check (limit_period in ('week', 'month', 'year')),
  available_from timestamptz,
  available_until timestamptz,
  on_shelf boolean not null default true,
  pickup_days integer not null default 7 check (pickup_days between 1 and 60),
  created_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  check (stock + reserved + handed_over = total_stocked),
  check (available_until is null or available_from is null or available_until > available_from)
);
comment on table app.goods is '积分超市 goods. stock + reserved + handed_over = total_stocked, always.';
create index goods_community_idx on app.goods (community_id);
create index goods_created_by_idx on app.goods (created_by);

create table app.goods_stock_changes (
  id bigint generated always as identity primary key,
  goods_id uuid not null references app.goods (id),
  delta integer not null check (delta <> 0),
  kind text not null check (kind in ('restock', 'correction')),
  reason text not null check (char_length(reason) between 2 and 200),
  actor_id uuid references app.profiles (id),
  created_at timestamptz not null default now()
);
comment on table app.goods_stock_changes is 'Restocking and stock corrections, append-only, each with a reason.';
create index goods_stock_changes_goods_idx on app.goods_stock_changes (goods_id, created_at);
create index goods_stock_changes_actor_idx on app.goods_stock_changes (actor_id);
create trigger goods_stock_changes_append_only before update or delete on app.goods_stock_changes
  for each row execute function app.forbid_change();

create table app.redemptions (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  goods_id uuid not null references app.goods (id),
  profile_id uuid not null references app.profiles (id),
  points_spent integer not null check (points_spent > 0),
  pickup_code text not null unique check (pickup_code ~ '^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$'),
  status text not null default 'reserved' check (status in ('reserved', 'handed_over', 'cancelled', 'expired')),
  idempotency_key text not null,
  debit_entry_id bigint not null references app.point_entries (id),
  refund_entry_id bigint references app.point_entries (id),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  handed_over_at timestamptz,
  handed_over_by uuid references app.profiles (id),
  closed_at timestamptz,
  unique (profile_id, idempotency_key),
  check ((status = 'handed_over') = (handed_over_at is not null)),
  check ((status in ('cancelled', 'expired')) = (refund_entry_id is not null))
);
comment on table app.redemptions is 'Redemptions: reserved (with a pickup code) → handed over, or cancelled/expired with a refund.';
create index redemptions_goods_idx on app.redemptions (goods_id, profile_id, created_at);
create index redemptions_profile_idx on app.redemptions (profile_id, created_at desc);
create index redemptions_due_idx on app.redemptions (expires_at) where status = 'reserved';
create index redemptions_community_idx on app.redemptions (community_id, created_at);
create index redemptions_debit_idx on app.redemptions (debit_entry_id);
create index redemptions_refund_idx on app.redemptions (refund_entry_id);
create index redemptions_handed_over_by_idx on app.redemptions (handed_over_by);

alter table app.goods enable row level security;
alter table app.goods_stock_changes enable row level security;
alter table app.redemptions enable row level security;

grant select on app.goods, app.goods_stock_changes, app.redemptions to authenticated;
create policy "Members see their community's goods" on app.goods
  for select to authenticated using (app.has_role(community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}'));
create policy "Staff see stock changes" on app.goods_stock_changes
  for select to authenticated using (exists (select 1 from app.goods g where g.id = goods_stock_changes.goods_id
                                             and app.has_role(g.community_id, '{committee,clerk,supervisor,admin}')));
create policy "People see their own redemptions; staff see the community's" on app.redemptions
  for select to authenticated using (profile_id = (select auth.uid()) or app.has_role(community_id, '{committee,clerk,supervisor,admin}'));
grant all on app.goods, app.goods_stock_changes, app.redemptions to service_role;

-- ---------------------------------------------------------------- helpers

create function app.period_start(p_period text) returns timestamptz
language sql stable set search_path = '' as $$
  select date_trunc(p_period, now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai';
$$;

create function app.new_pickup_code() returns text
language sql volatile set search_path = '' as $$
  -- 31 characters without 0/O, 1/I/L: easy to read aloud and to type.
  select string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789', 1 + floor(random() * 31)::integer, 1), '')
    from generate_series(1, 8);
$$;

create function app.goods_json(g app.goods) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', g.id, 'name', g.name, 'description', g.description, 'pictureUrl', g.picture_url, 'pricePoints', g.price_points,
    'stock', g.stock, 'reserved', g.reserved, 'handedOver', g.handed_over, 'totalStocked', g.total_stocked,
    'perPersonLimit', g.per_person_limit, 'limitPeriod', g.limit_period, 'availableFrom', g.available_from,
    'availableUntil', g.available_until, 'onShelf', g.on_shelf, 'pickupDays', g.pickup_days,
    'available', g.on_shelf and g.stock > 0 and (g.available_from is null or g.available_from <= now())
                 and (g.available_until is null or g.available_until > now()),
    'myCountThisPeriod', (select count(*) from app.redemptions r where r.goods_id = g.id and r.profile_id = (select auth.uid())
                           and r.status in ('reserved', 'handed_over') and r.created_at >= app.period_start(g.limit_period)));
$$;

create function app.redemption_json(r app.redemptions) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('id', r.id, 'pickupCode', r.pickup_code, 'status', r.status, 'pointsSpent', r.points_spent,
    'goodsId', r.goods_id, 'goodsName', (select g.name from app.goods g where g.id = r.goods_id),
    'expiresAt', r.expires_at, 'createdAt', r.created_at, 'handedOverAt', r.handed_over_at, 'closedAt', r.closed_at,
    'resident', app.masked_name_of(r.profile_id));
$$;

-- ---------------------------------------------------------------- goods (committee, clerk)

create function public.save_goods(p_community_id uuid, p_goods_id uuid, p_name text, p_description text, p_picture_url text,
                                  p_price_points integer, p_per_person_limit integer, p_limit_period text,
                                  p_available_from timestamptz, p_available_until timestamptz, p_on_shelf boolean,
                                  p_pickup_days integer default 7, p_initial_stock integer default 0) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare g app.goods;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee,clerk}') then
    perform app.fail('core.forbidden');
  end if;
  if p_goods_id is null then
    insert into app.goods (community_id, name, description, picture_url, price_points, per_person_limit, limit_period,
                           available_from, available_until, on_shelf, pickup_days, created_by)
    values (p_community_id, btrim(p_name), coalesce(p_description, ''), p_picture_url, p_price_points, p_per_person_limit,
            coalesce(p_limit_period, 'month'), p_available_from, p_available_until, coalesce(p_on_shelf, true),
            coalesce(p_pickup_days, 7), (select auth.uid()))
    returning * into g;
    if coalesce(p_initial_stock, 0) > 0 then
      perform public.restock_goods(g.id, p_initial_stock, '首次上架');
    end if;
  else
    update app.goods set name = btrim(p_name), description = coalesce(p_description, ''), picture_url = p_picture_url,
           price_points = p_price_points, per_person_limit = p_per_person_limit, limit_period = coalesce(p_limit_period, 'month'),
           available_from = p_available_from, available_until = p_available_until, on_shelf = coalesce(p_on_shelf, true),
           pickup_days = coalesce(p_pickup_days, 7)
     where id = p_goods_id and community_id = p_community_id
    returning * into g;
    if g.id is null then
      perform app.fail('mall.goods_not_found');
    end if;
  end if;
  perform app.audit(p_community_id, case when p_goods_id is null then 'goods.create' else 'goods.update' end, 'goods', g.id::text);
  select * into g from app.goods where id = g.id;
  return app.goods_json(g);
exception
  when check_violation or not_null_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Restock (positive) or correct (either sign, from what is on the shelf), always with a reason.
create function public.restock_goods(p_goods_id uuid, p_quantity integer, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare g app.goods;
begin
  perform app.require_uid();
  select * into g from app.goods where id = p_goods_id for update;
  if g.id is null or not app.has_role(g.community_id, '{committee,clerk}') then
    perform app.fail('mall.goods_not_found');
  end if;
  if p_quantity is null or p_quantity = 0 or char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.invalid_input');
  end if;
  update app.goods set stock = stock + p_quantity, total_stocked = total_stocked + p_quantity
   where id = g.id and stock + p_quantity >= 0
  returning * into g;
  if g.id is null then
    perform app.fail('mall.correction_below_reserved');
  end if;
  insert into app.goods_stock_changes (goods_id, delta, kind, reason, actor_id)
  values (g.id, p_quantity, case when p_quantity > 0 then 'restock' else 'correction' end, btrim(p_reason), (select auth.uid()));
  perform app.audit(g.community_id, 'goods.restock', 'goods', g.id::text, jsonb_build_object('quantity', p_quantity, 'reason', p_reason));
  return app.goods_json(g);
end
$$;

create function public.list_goods(p_community_id uuid, p_include_off_shelf boolean default false) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(app.goods_json(g) order by g.on_shelf desc, g.price_points), '[]'::jsonb)
    from app.goods g
   where g.community_id = p_community_id
     and app.has_role(p_community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}')
     and (g.on_shelf or (p_include_off_shelf and app.has_role(p_community_id, '{committee,clerk}')));
$$;

-- ---------------------------------------------------------------- redeeming

create function public.redeem_goods(p_goods_id uuid, p_idempotency_key text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  g app.goods;
  r app.redemptions;
  e app.point_entries;
  v_id uuid := gen_random_uuid();
  v_code text;
begin
  select * into r from app.redemptions where profile_id = v_uid and idempotency_key = p_idempotency_key;
  if r.id is not null then
    return app.redemption_json(r);
  end if;
  select * into g from app.goods where id = p_goods_id;
  if g.id is null or not app.has_role(g.community_id, '{resident,committee,clerk,grid_worker,supervisor}') then
    perform app.fail('mall.goods_not_found');
  end if;
  if not app.has_role(g.community_id, '{resident}') then
    perform app.fail('volunteer.resident_required');
  end if;
  if not g.on_shelf or (g.available_from is not null and g.available_from > now())
     or (g.available_until is not null and g.available_until <= now()) then
    perform app.fail('mall.not_available');
  end if;
  -- The unit: one conditional update. It also locks the good, so every redemption of it takes its turn.
  update app.goods set stock = stock - 1, reserved = reserved + 1 where id = g.id and stock >= 1 returning * into g;
  if g.id is null then
    perform app.fail('mall.out_of_stock');
  end if;
  if g.per_person_limit is not null and (
       select count(*) from app.redemptions x where x.goods_id = g.id and x.profile_id = v_uid
          and x.status in ('reserved', 'handed_over') and x.created_at >= app.period_start(g.limit_period)) >= g.per_person_limit then
    perform app.fail('mall.limit_reached');
  end if;
  e := app.spend_points(v_uid, g.community_id, g.price_points, 'redemption', left('积分超市兑换：' || g.name, 200),
                        'redemption:' || v_id, 'redemption:' || v_id);
  loop
    v_code := app.new_pickup_code();
    exit when not exists (select 1 from app.redemptions x where x.pickup_code = v_code);
  end loop;
  insert into app.redemptions (id, community_id, goods_id, profile_id, points_spent, pickup_code, idempotency_key, debit_entry_id, expires_at)
  values (v_id, g.community_id, g.id, v_uid, g.price_points, v_code, p_idempotency_key, e.id, now() + make_interval(days => g.pickup_days))
  returning * into r;
  perform app.audit(g.community_id, 'mall.redeem', 'redemption', r.id::text, jsonb_build_object('goods', g.id, 'points', g.price_points));
  return app.redemption_json(r);
exception
  when unique_violation then
    -- A concurrent retry with the same key won: answer with its redemption.
    select * into r from app.redemptions where profile_id = v_uid and idempotency_key = p_idempotency_key;
    if r.id is not null then
      return app.redemption_json(r);
    end if;
    raise;
end
$$;

-- Close a reserved redemption (cancel or expiry): the unit goes back on the shelf, the points come back. Once.
create function app.close_redemption(p_id uuid, p_status text, p_reason text) returns app.redemptions
language plpgsql volatile security definer set search_path = '' as $$
declare
  r app.redemptions;
  e app.point_entries;
begin
  -- Whoever locks a still-reserved redemption first closes it; a racing closer then finds it closed.
  select * into r from app.redemptions where id = p_id and status = 'reserved' for update;
  if r.id is null then
    return null;
  end if;
  -- Same lock order as redeem_goods (the good, then the account), so the two can never deadlock.
  update app.goods set stock = stock + 1, reserved = reserved - 1 where id = r.goods_id;
  e := app.post_points(r.profile_id, r.community_id, r.points_spent, 'refund', p_reason, 'redemption:' || r.id, 'refund:' || r.id);
  update app.redemptions set status = p_status, closed_at = now(), refund_entry_id = e.id where id = r.id returning * into r;
  return r;
end
$$;

create function public.cancel_redemption(p_redemption_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare r app.redemptions;
begin
  perform app.require_uid();
  select * into r from app.redemptions where id = p_redemption_id and profile_id = (select auth.uid());
  if r.id is null then
    perform app.fail('mall.redemption_not_found');
  end if;
  r := app.close_redemption(r.id, 'cancelled', '取消兑换，积分退回');
  if r.id is null then
    perform app.fail('mall.redemption_closed');
  end if;
  perform app.audit(r.community_id, 'mall.cancel', 'redemption', r.id::text);
  return app.redemption_json(r);
end
$$;

-- Scheduled (pg_cron on Supabase, a timer in the local server): expire unclaimed redemptions.
create function public.expire_redemptions() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_id uuid;
  v_count integer := 0;
  r app.redemptions;
begin
  -- Skip redemptions someone is cancelling right now: waiting for them while holding a good's row could
  -- deadlock with that cancel (which holds the redemption and waits for the good).
  for v_id in select x.id from app.redemptions x where x.status = 'reserved' and x.expires_at <= now()
                order by x.expires_at limit 500 for update skip locked loop
    r := app.close_redemption(v_id, 'expired', '兑换超过领取期限未领取，积分退回');
    if r.id is not null then
      v_count := v_count + 1;
      perform app.audit(r.community_id, 'mall.expire', 'redemption', r.id::text);
    end if;
  end loop;
  return jsonb_build_object('expired', v_count);
end
$$;

create function public.list_my_redemptions(p_community_id uuid default null) returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(app.redemption_json(r) order by r.created_at desc), '[]'::jsonb)
    from app.redemptions r
   where r.profile_id = (select auth.uid()) and (p_community_id is null or r.community_id = p_community_id);
$$;

-- ---------------------------------------------------------------- hand-over (clerk)

create function app.redemption_for_clerk(p_pickup_code text) returns app.redemptions
language plpgsql stable security definer set search_path = '' as $$
declare r app.redemptions;
begin
  perform app.require_uid();
  select * into r from app.redemptions where pickup_code = upper(btrim(p_pickup_code));
  if r.id is null or not app.has_role(r.community_id, '{clerk,committee,supervisor,admin}') then
    perform app.fail('mall.redemption_not_found');
  end if;
  if not app.has_role(r.community_id, '{clerk}') then
    perform app.fail('core.forbidden');
  end if;
  return r;
end
$$;

create function public.get_redemption_by_code(p_pickup_code text) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return app.redemption_json(app.redemption_for_clerk(p_pickup_code));
end
$$;

create function public.hand_over_redemption(p_pickup_code text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare r app.redemptions := app.redemption_for_clerk(p_pickup_code);
begin
  update app.redemptions set status = 'handed_over', handed_over_at = now(), handed_over_by = (select auth.uid())
   where id = r.id and status = 'reserved' and expires_at > now()
  returning * into r;
  if r.id is null then
    select * into r from app.redemptions where pickup_code = upper(btrim(p_pickup_code));
    perform app.fail(case when r.status = 'handed_over' then 'mall.already_handed_over' else 'mall.redemption_closed' end);
  end if;
  update app.goods set reserved = reserved - 1, handed_over = handed_over + 1 where id = r.goods_id;
  perform app.audit(r.community_id, 'mall.hand_over', 'redemption', r.id::text, '{}'::jsonb, r.profile_id);
  return app.redemption_json(r);
end
$$;

-- ---------------------------------------------------------------- reports

create function public.get_mall_report(p_community_id uuid, p_from date, p_to date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_from timestamptz := p_from::timestamp at time zone 'Asia/Shanghai';
  v_to timestamptz := (p_to + 1)::timestamp at time zone 'Asia/Shanghai';
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee,clerk,supervisor,admin}') then
    perform app.fail('core.forbidden');
  end if;
  return jsonb_build_object(
    'from', p_from, 'to', p_to,
    'handedOverCount', (select count(*) from app.redemptions r where r.community_id = p_community_id and r.status = 'handed_over'
                          and r.handed_over_at >= v_from and r.handed_over_at < v_to),
    'pointsConsumed', (select coalesce(sum(r.points_spent), 0) from app.redemptions r where r.community_id = p_community_id
                         and r.status = 'handed_over' and r.handed_over_at >= v_from and r.handed_over_at < v_to),
    'outstanding', (select count(*) from app.redemptions r where r.community_id = p_community_id and r.status = 'reserved'),
    'outstandingPoints', (select coalesce(sum(r.points_spent), 0) from app.redemptions r where r.community_id = p_community_id and r.status = 'reserved'),
    'goods', (select coalesce(jsonb_agg(jsonb_build_object(
                'id', g.id, 'name', g.name, 'pricePoints', g.price_points, 'stock', g.stock, 'reserved', g.reserved,
                'handedOver', g.handed_over, 'totalStocked', g.total_stocked,
                'handedOverInPeriod', (select count(*) from app.redemptions r where r.goods_id = g.id and r.status = 'handed_over'
                                        and r.handed_over_at >= v_from and r.handed_over_at < v_to),
                'restockedInPeriod', (select coalesce(sum(c.delta), 0) from app.goods_stock_changes c where c.goods_id = g.id
                                        and c.created_at >= v_from and c.created_at < v_to)) order by g.name), '[]'::jsonb)
                from app.goods g where g.community_id = p_community_id));
end
$$;

-- Invariants the tests call after any sequence of operations: an empty array means all hold.
create function app.mall_invariant_violations() returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(v), '[]'::jsonb) from (
    select jsonb_build_object('goods', g.id, 'problem', 'units do not add up') as v from app.goods g
     where g.stock + g.reserved + g.handed_over <> g.total_stocked
    union all
    select jsonb_build_object('goods', g.id, 'problem', 'reserved differs from open redemptions') from app.goods g
     where g.reserved <> (select count(*) from app.redemptions r where r.goods_id = g.id and r.status = 'reserved')
    union all
    select jsonb_build_object('goods', g.id, 'problem', 'handed_over differs from handed-over redemptions') from app.goods g
     where g.handed_over <> (select count(*) from app.redemptions r where r.goods_id = g.id and r.status = 'handed_over')
    union all
    select jsonb_build_object('goods', g.id, 'problem', 'total differs from stock changes') from app.goods g
     where g.total_stocked <> (select coalesce(sum(c.delta), 0) from app.goods_stock_changes c where c.goods_id = g.id)
    union all
    select jsonb_build_object('account', a.profile_id, 'problem', 'balance differs from the sum of entries') from app.point_accounts a
     where a.balance <> (select coalesce(sum(e.delta), 0) from app.point_entries e where e.profile_id = a.profile_id and e.community_id = a.community_id)
    union all
    select jsonb_build_object('redemption', r.id, 'problem', 'closed without exactly one refund') from app.redemptions r
     where r.status in ('cancelled', 'expired') and (select count(*) from app.point_entries e where e.idempotency_key = 'refund:' || r.id) <> 1
  ) x;
$$;

-- On Supabase, pg_cron runs the expiry; locally the Node server's timer does.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('cunju-expire-redemptions', '*/10 * * * *', 'select public.expire_redemptions()');
  end if;
end
$$;

-- ---------------------------------------------------------------- grants

revoke execute on all functions in schema public from public, anon;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to authenticated, service_role;
revoke execute on function app.close_redemption(uuid, text, text) from authenticated;
grant execute on function public.save_goods(uuid, uuid, text, text, text, integer, integer, text, timestamptz, timestamptz, boolean, integer, integer),
  public.restock_goods(uuid, integer, text), public.list_goods(uuid, boolean), public.redeem_goods(uuid, text),
  public.cancel_redemption(uuid), public.list_my_redemptions(uuid), public.get_redemption_by_code(text),
  public.hand_over_redemption(text), public.get_mall_report(uuid, date, date) to authenticated;
grant execute on function public.expire_redemptions() to service_role;
