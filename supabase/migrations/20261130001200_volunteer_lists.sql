-- Volunteering at a street's scale.
--
--   * activities are listed per scope by a statement of their own (upcoming, past, mine, organising), each
--     a range of an index in time order; who may see an activity is decided once per call (staff of the
--     community, its organiser, or a resident of its grid), not by a function per row before the time filter;
--     an activity lasts at most 24 hours (CHECK), so "not yet over" is a range on starts_at;
--   * RLS on activities and sign-ups compares columns with the caller's communities and grids;
--   * 吹哨 calls, the service record and the whistle list are pages.

create index activities_open_idx on app.activities (community_id, starts_at, id) where status = 'open';
create index activities_community_starts_id_idx on app.activities (community_id, starts_at, id);
create index activities_organizer_starts_idx on app.activities (organizer_id, starts_at, id);
create index activity_signups_profile_activity_idx on app.activity_signups (profile_id, activity_id);
create index whistle_calls_community_created_idx on app.whistle_calls (community_id, created_at, id);

drop policy "People see activities meant for them" on app.activities;
create policy "People see activities meant for them" on app.activities
  for select to authenticated using (
    community_id = any ((select app.my_community_ids('{committee,clerk,grid_worker,supervisor,admin}'))::uuid[])
    or organizer_id = (select auth.uid())
    or (community_id = any ((select app.my_community_ids('{resident}'))::uuid[])
        and (grid_id is null or grid_id = any ((select app.my_grid_ids())::uuid[]))));

drop policy "People see their own sign-ups; organisers and staff see the activity's" on app.activity_signups;
create policy "People see their own sign-ups; organisers and staff see the activity's" on app.activity_signups
  for select to authenticated using (
    profile_id = (select auth.uid())
    or exists (select 1 from app.activities a where a.id = activity_signups.activity_id
                 and (a.organizer_id = (select auth.uid())
                      or a.community_id = any ((select app.my_community_ids('{committee,admin}'))::uuid[]))));

drop function public.list_activities(uuid, text);

-- Definer (the check-in secret is not readable by residents); visibility is decided once, then each scope
-- reads its own index range.
create function public.list_activities(p_community_id uuid, p_scope text default 'upcoming', p_limit integer default 20,
                                       p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  v_staff boolean := app.has_role(p_community_id, '{committee,clerk,grid_worker,supervisor,admin}');
  v_resident boolean := app.is_resident(p_community_id);
  v_committee boolean := app.has_role(p_community_id, '{committee}');
  v_grids uuid[] := app.my_grid_ids();
  c text[];
  v_rows jsonb;
begin
  if p_scope = 'upcoming' then
    -- Soonest first; an activity not yet over started at most 24 hours ago.
    c := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
    select jsonb_agg(jsonb_build_object('i', app.activity_summary(a), 'c', app.encode_cursor(array[a.starts_at::text, a.id::text]))
                     order by a.starts_at, a.id)
      into v_rows
      from (select * from app.activities x
             where x.community_id = p_community_id and x.status <> 'cancelled'
               and x.starts_at > now() - interval '24 hours' and x.ends_at > now()
               and (x.starts_at, x.id) > (c[1]::timestamptz, c[2]::uuid)
               and (v_staff or x.organizer_id = v_uid or (v_resident and (x.grid_id is null or x.grid_id = any (v_grids))))
             order by x.starts_at, x.id limit v_limit + 1) a;
  elsif p_scope = 'past' then
    c := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
    select jsonb_agg(jsonb_build_object('i', app.activity_summary(a), 'c', app.encode_cursor(array[a.starts_at::text, a.id::text]))
                     order by a.starts_at desc, a.id desc)
      into v_rows
      from (select * from app.activities x
             where x.community_id = p_community_id and x.status <> 'cancelled' and x.starts_at <= now() and x.ends_at <= now()
               and (x.starts_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
               and (v_staff or x.organizer_id = v_uid or (v_resident and (x.grid_id is null or x.grid_id = any (v_grids))))
             order by x.starts_at desc, x.id desc limit v_limit + 1) a;
  elsif p_scope = 'mine' then
    c := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
    select jsonb_agg(jsonb_build_object('i', app.activity_summary(a), 'c', app.encode_cursor(array[a.starts_at::text, a.id::text]))
                     order by a.starts_at desc, a.id desc)
      into v_rows
      from (select x.* from app.activity_signups s join app.activities x on x.id = s.activity_id
             where s.profile_id = v_uid and s.status <> 'cancelled' and x.community_id = p_community_id and x.status <> 'cancelled'
               and (x.starts_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
             order by x.starts_at desc, x.id desc limit v_limit + 1) a;
  elsif p_scope = 'organizing' then
    c := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
    if v_committee then
      select jsonb_agg(jsonb_build_object('i', app.activity_summary(a), 'c', app.encode_cursor(array[a.starts_at::text, a.id::text]))
                       order by a.starts_at desc, a.id desc)
        into v_rows
        from (select * from app.activities x
               where x.community_id = p_community_id and x.status = 'open' and (x.starts_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
               order by x.starts_at desc, x.id desc limit v_limit + 1) a;
    else
      select jsonb_agg(jsonb_build_object('i', app.activity_summary(a), 'c', app.encode_cursor(array[a.starts_at::text, a.id::text]))
                       order by a.starts_at desc, a.id desc)
        into v_rows
        from (select * from app.activities x
               where x.organizer_id = v_uid and x.community_id = p_community_id and x.status = 'open'
                 and (x.starts_at, x.id) < (c[1]::timestamptz, c[2]::uuid)
               order by x.starts_at desc, x.id desc limit v_limit + 1) a;
    end if;
  else
    perform app.fail('core.invalid_input', 'field:scope');
  end if;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_whistle_calls(uuid);

-- 吹哨 calls of the last day the caller may see (RLS), newest first.
create function public.list_whistle_calls(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_staff boolean := app.has_role(p_community_id, '{committee,grid_worker,admin}');
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', x.id, 'title', x.title, 'detail', x.detail, 'place', x.place, 'createdAt', x.created_at, 'closesAt', x.closes_at,
           'open', x.closes_at > now(), 'caller', app.masked_name_of(x.created_by),
           'responded', exists (select 1 from app.whistle_responses r where r.call_id = x.id and r.profile_id = (select auth.uid())),
           'responders', case when x.created_by = (select auth.uid()) or v_staff then
                           (select coalesce(jsonb_agg(jsonb_build_object('name', (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = r.profile_id),
                                                                        'etaMinutes', r.eta_minutes, 'respondedAt', r.responded_at) order by r.responded_at), '[]'::jsonb)
                              from (select * from app.whistle_responses r0 where r0.call_id = x.id order by r0.responded_at limit 50) r) end,
           'responseCount', (select count(*) from app.whistle_responses r where r.call_id = x.id)),
           'c', app.encode_cursor(array[x.created_at::text, x.id::text])) order by x.created_at desc, x.id desc)
    into v_rows
    from (select * from app.whistle_calls w
           where w.community_id = p_community_id and w.created_at > now() - interval '7 days' and w.closes_at > now() - interval '1 day'
             and (w.created_at, w.id) < (c[1]::timestamptz, c[2]::uuid)
           order by w.created_at desc, w.id desc limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.get_volunteer_record(uuid);

-- My service record: totals over everything, the activities themselves a page at a time, newest first.
create function public.get_volunteer_record(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_totals jsonb;
  v_rows jsonb;
begin
  select jsonb_build_object('totalMinutes', coalesce(sum(s.minutes), 0), 'totalPoints', coalesce(sum(s.points), 0), 'activities', count(s.id))
    into v_totals
    from app.activity_signups s join app.activities a on a.id = s.activity_id
   where s.profile_id = v_uid and a.community_id = p_community_id and s.confirmed_at is not null;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('title', x.title, 'place', x.place, 'startsAt', x.starts_at,
           'minutes', x.minutes, 'points', x.points), 'c', app.encode_cursor(array[x.starts_at::text, x.id::text]))
           order by x.starts_at desc, x.id desc)
    into v_rows
    from (select a.id, a.title, a.place, a.starts_at, s.minutes, s.points
            from app.activity_signups s join app.activities a on a.id = s.activity_id
           where s.profile_id = v_uid and a.community_id = p_community_id and s.confirmed_at is not null
             and (a.starts_at, a.id) < (c[1]::timestamptz, c[2]::uuid)
           order by a.starts_at desc, a.id desc limit v_limit + 1) x;
  return jsonb_build_object(
    'name', (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = v_uid),
    'community', (select cm.name from app.communities cm where cm.id = p_community_id),
    'points', app.points_summary(v_uid, p_community_id)) || v_totals
    || (select jsonb_build_object('items', pg.page -> 'items', 'nextCursor', pg.page -> 'nextCursor')
          from (select app.page(v_rows, v_limit) as page) pg);
end
$$;

grant execute on function public.list_activities(uuid, text, integer, text), public.list_whistle_calls(uuid, integer, text),
  public.get_volunteer_record(uuid, integer, text) to authenticated;
