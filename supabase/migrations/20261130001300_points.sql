-- Points (积分): the reads of the ledger, as pages.
--
-- Where the points domain lives: the ledger's tables, its invariants (append-only entries, balance =
-- Σ entries, balance ≥ 0, two-person deductions) and its write functions were created with volunteering
-- (20261122000300_volunteer.sql; deductions tightened in 20261130000300_tenant_checks.sql); its reads live
-- here from now on, and new points work goes into points migrations.
--
--   * "my points" returns every entry as pages (it used to stop at the newest 200);
--   * a month's 积分公示 lists its entries as pages (a large community has thousands a month);
--   * deduction requests and publications are pages; rankings stay a top 20.

create index point_entries_profile_id_idx on app.point_entries (profile_id, community_id, id);
create index point_entries_month_created_idx on app.point_entries (community_id, month, created_at, id);
create index point_deductions_community_created_idx on app.point_deduction_requests (community_id, created_at, id);

drop function public.get_my_points(uuid);

create function public.get_my_points(p_community_id uuid default null, p_limit integer default 20, p_cursor text default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_community uuid := coalesce(p_community_id, (
    select m.community_id from app.memberships m where m.profile_id = v_uid and m.role = 'resident' order by m.created_at limit 1));
  v_limit integer := app.page_limit(p_limit);
  v_before bigint := coalesce((app.decode_cursor(p_cursor, 1))[1]::bigint, 9223372036854775807);
  v_rows jsonb;
  v_page jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', e.id, 'delta', e.delta, 'kind', e.kind, 'reason', e.reason, 'month', to_char(e.month, 'YYYY-MM'), 'createdAt', e.created_at),
           'c', app.encode_cursor(array[e.id::text])) order by e.id desc)
    into v_rows
    from (select * from app.point_entries x where x.profile_id = v_uid and x.community_id = v_community and x.id < v_before
           order by x.id desc limit v_limit + 1) e;
  v_page := app.page(v_rows, v_limit);
  return jsonb_build_object('communityId', v_community) || app.points_summary(v_uid, v_community)
    || jsonb_build_object('entries', v_page -> 'items', 'nextCursor', v_page -> 'nextCursor');
end
$$;

drop function public.list_point_deductions(uuid);

create function public.list_point_deductions(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', r.id, 'name', app.masked_name_of(r.profile_id), 'points', r.points, 'reason', r.reason,
           'requestedBy', app.masked_name_of(r.requested_by), 'mine', r.requested_by = (select auth.uid()),
           'status', r.status, 'createdAt', r.created_at),
           'c', app.encode_cursor(array[r.created_at::text, r.id::text])) order by r.created_at desc, r.id desc)
    into v_rows
    from (select * from app.point_deduction_requests x
           where x.community_id = p_community_id and (x.created_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
           order by x.created_at desc, x.id desc limit v_limit + 1) r;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_points_publications(uuid);

create function public.list_points_publications(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_before date := coalesce((app.decode_cursor(p_cursor, 1))[1]::date, 'infinity'::date);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', p.id, 'month', to_char(p.month, 'YYYY-MM'), 'publishedAt', p.published_at,
           'windowClosesAt', p.window_closes_at, 'open', p.window_closes_at > now()),
           'c', app.encode_cursor(array[p.month::text])) order by p.month desc)
    into v_rows
    from (select * from app.point_publications x where x.community_id = p_community_id and x.month < v_before
           order by x.month desc limit v_limit + 1) p;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.get_points_publication(uuid, date);

-- A month's 积分公示: the publication and its entries as pages, in the order they were earned.
create function public.get_points_publication(p_community_id uuid, p_month date, p_limit integer default 50, p_cursor text default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  p app.point_publications;
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '0']);
  v_overseer boolean := app.is_overseer(p_community_id);
  v_rows jsonb;
  v_page jsonb;
begin
  if not app.is_member(p_community_id) then
    perform app.fail('points.publication_not_found');
  end if;
  select * into p from app.point_publications where community_id = p_community_id and month = p_month;
  if p.id is null then
    perform app.fail('points.publication_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', e.id, 'name', app.display_name_for_public(e.profile_id, e.community_id), 'delta', e.delta,
           'kind', e.kind, 'reason', e.reason, 'createdAt', e.created_at, 'mine', e.profile_id = v_uid,
           'objections', (select coalesce(jsonb_agg(jsonb_build_object(
                            'id', o.id, 'reason', o.reason, 'status', o.status, 'resolution', o.resolution,
                            'mine', o.objector_id = v_uid)), '[]'::jsonb)
                            from app.point_objections o where o.entry_id = e.id and (o.objector_id = v_uid or v_overseer))),
           'c', app.encode_cursor(array[e.created_at::text, e.id::text])) order by e.created_at, e.id)
    into v_rows
    from (select * from app.point_entries x
           where x.community_id = p_community_id and x.month = p.month and (x.created_at, x.id) > (c[1]::timestamptz, c[2]::bigint)
           order by x.created_at, x.id limit v_limit + 1) e;
  v_page := app.page(v_rows, v_limit);
  return jsonb_build_object(
    'id', p.id, 'month', to_char(p.month, 'YYYY-MM'), 'publishedAt', p.published_at, 'windowClosesAt', p.window_closes_at,
    'open', p.window_closes_at > now(), 'objectionDays', p.objection_days,
    'canResolve', app.has_role(p_community_id, '{committee}'),
    'entries', v_page -> 'items', 'nextCursor', v_page -> 'nextCursor');
end
$$;

grant execute on function public.get_my_points(uuid, integer, text), public.list_point_deductions(uuid, integer, text),
  public.list_points_publications(uuid, integer, text), public.get_points_publication(uuid, date, integer, text) to authenticated;
