-- Service hall at a street's scale: every list a page, every page an index range.
--
--   * "my cases" was one scan with `applicant_id = me OR exists(proxy …)`: now two index-driven branches
--     (mine, and the ones I handle as a consented helper) merged by the same keyset;
--   * the clerk's workbench was four unbounded lists in one answer: now counts for its tabs (待办, 今日预约,
--     帮办, 整改) and one paged list per tab, open cases by due date so overdue ones come first;
--   * the slots of an item, my bookings, my help requests, the helpers and my messages are pages too;
--     an item the caller may not see answers not-found (it used to answer an empty list for any id).

create index applications_open_due_idx on app.applications (community_id, due_on, created_at, id)
  where status not in ('completed', 'rejected');
create index applications_applicant_updated_idx on app.applications (applicant_id, updated_at, id);
create index proxy_requests_open_idx on app.proxy_requests (community_id, created_at, id) where status in ('requested', 'assigned');
create index proxy_requests_helper_open_idx on app.proxy_requests (helper_id, application_id) where status = 'consented';
create index appointments_profile_idx on app.appointments (profile_id, created_at);
create index appointment_slots_item_idx on app.appointment_slots (item_id, starts_at, id);
create index notifications_profile_id_idx on app.notifications (profile_id, id);

-- The clerk's day starts and ends in Asia/Shanghai.
create function app.today_range() returns tstzrange
language sql stable set search_path = '' as $$
  select tstzrange((app.today()::timestamp) at time zone 'Asia/Shanghai', ((app.today() + 1)::timestamp) at time zone 'Asia/Shanghai');
$$;
grant execute on function app.today_range() to authenticated;

-- ---------------------------------------------------------------- the catalogue

drop function public.search_service_items(uuid, text, text);

-- The 事项清单 by words or theme: names that match first, then by theme and name.
create function public.search_service_items(p_community_id uuid, p_q text default null, p_theme text default null,
                                            p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_q text := nullif(replace(replace(btrim(coalesce(p_q, '')), '%', ''), '_', ''), '');
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 4), array['-1', '', '', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', x.id, 'name', x.name, 'department', x.department, 'theme', x.theme, 'timeLimitDays', x.time_limit_days,
           'fee', x.fee, 'online', x.online, 'appointment', x.appointment, 'proxyAllowed', x.proxy_allowed),
           'c', app.encode_cursor(array[x.rank::text, x.theme, x.name, x.id::text])) order by x.rank, x.theme, x.name, x.id)
    into v_rows
    from (select y.* from (
            select i.*, case when v_q is not null and i.name ilike '%' || v_q || '%' then 0 else 1 end as rank
              from app.service_items i
             where i.community_id = p_community_id
               and (p_theme is null or i.theme = p_theme)
               and (v_q is null or (i.name || ' ' || i.department || ' ' || i.theme || ' ' || i.eligibility || ' ' || i.materials::text)
                                     ilike '%' || v_q || '%')) y
           where (y.rank, y.theme, y.name, y.id) > (v_cursor[1]::integer, v_cursor[2], v_cursor[3], v_cursor[4]::uuid)
           order by y.rank, y.theme, y.name, y.id
           limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- a resident's own lists

drop function public.list_my_applications();

-- My cases and the cases I handle for someone who consented, most recently changed first.
create function public.list_my_applications(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_at timestamptz := v_cursor[1]::timestamptz;
  v_id uuid := v_cursor[2]::uuid;
  v_rows jsonb;
begin
  with mine as (
    (select a.* from app.applications a
      where a.applicant_id = v_uid and (a.updated_at, a.id) < (v_at, v_id)
      order by a.updated_at desc, a.id desc limit v_limit + 1)
    union
    (select a.* from app.proxy_requests p join app.applications a on a.id = p.application_id
      where p.helper_id = v_uid and p.status = 'consented' and (a.updated_at, a.id) < (v_at, v_id)
      order by a.updated_at desc, a.id desc limit v_limit + 1)),
  page as (select * from mine order by updated_at desc, id desc limit v_limit + 1)
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', a.id, 'itemName', i.name, 'status', a.status, 'statusLabel', app.status_label(a.status),
           'dueOn', a.due_on, 'createdAt', a.created_at, 'updatedAt', a.updated_at, 'rating', a.rating, 'forMe', a.applicant_id = v_uid),
           'c', app.encode_cursor(array[a.updated_at::text, a.id::text])) order by a.updated_at desc, a.id desc)
    into v_rows
    from page a join app.service_items i on i.id = a.item_id;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_my_appointments();

create function public.list_my_appointments(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', x.id, 'itemName', i.name, 'startsAt', s.starts_at, 'endsAt', s.ends_at, 'status', x.status, 'address', i.offline_address),
           'c', app.encode_cursor(array[x.created_at::text, x.id::text])) order by x.created_at desc, x.id desc)
    into v_rows
    from (select a.* from app.appointments a
           where a.profile_id = v_uid and (a.created_at, a.id) < (v_cursor[1]::timestamptz, v_cursor[2]::uuid)
           order by a.created_at desc, a.id desc limit v_limit + 1) x
    join app.appointment_slots s on s.id = x.slot_id
    join app.service_items i on i.id = x.item_id;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_my_proxy_requests();

-- Help I asked for and help I give, newest first.
create function public.list_my_proxy_requests(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_at timestamptz := v_cursor[1]::timestamptz;
  v_id uuid := v_cursor[2]::uuid;
  v_rows jsonb;
begin
  with mine as (
    (select p.* from app.proxy_requests p where p.resident_id = v_uid and (p.created_at, p.id) < (v_at, v_id)
      order by p.created_at desc, p.id desc limit v_limit + 1)
    union
    (select p.* from app.proxy_requests p where p.helper_id = v_uid and (p.created_at, p.id) < (v_at, v_id)
      order by p.created_at desc, p.id desc limit v_limit + 1)),
  page as (select * from mine order by created_at desc, id desc limit v_limit + 1)
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', p.id, 'itemId', p.item_id, 'itemName', i.name, 'status', p.status, 'note', p.note,
           'helper', app.masked_name_of(p.helper_id), 'resident', app.masked_name_of(p.resident_id),
           'iAmHelper', p.helper_id = v_uid, 'applicationId', p.application_id, 'createdAt', p.created_at),
           'c', app.encode_cursor(array[p.created_at::text, p.id::text])) order by p.created_at desc, p.id desc)
    into v_rows
    from page p join app.service_items i on i.id = p.item_id;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_notifications();

create function public.list_notifications(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_before bigint := coalesce((app.decode_cursor(p_cursor, 1))[1]::bigint, 9223372036854775807);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', n.id, 'title', n.title, 'body', n.body, 'link', n.link,
           'createdAt', n.created_at, 'read', n.read_at is not null), 'c', app.encode_cursor(array[n.id::text])) order by n.id desc)
    into v_rows
    from (select * from app.notifications x where x.profile_id = (select auth.uid()) and x.id < v_before
           order by x.id desc limit v_limit + 1) n;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- appointments

drop function public.list_appointment_slots(uuid);

-- Upcoming slots of an item the caller may see (a member of its community), soonest first.
create function public.list_appointment_slots(p_item_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_community uuid;
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  select i.community_id into v_community from app.service_items i where i.id = p_item_id;
  if v_community is null or not app.is_member(v_community) then
    perform app.fail('hall.item_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', s.id, 'startsAt', s.starts_at, 'endsAt', s.ends_at,
           'capacity', s.capacity, 'booked', s.booked,
           'mine', exists (select 1 from app.appointments a where a.slot_id = s.id and a.profile_id = v_uid and a.status = 'booked')),
           'c', app.encode_cursor(array[s.starts_at::text, s.id::text])) order by s.starts_at, s.id)
    into v_rows
    from (select * from app.appointment_slots x
           where x.item_id = p_item_id and x.starts_at > now() and (x.starts_at, x.id) > (v_cursor[1]::timestamptz, v_cursor[2]::uuid)
           order by x.starts_at, x.id limit v_limit + 1) s;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- the clerk's workbench

drop function public.list_helpers(uuid);

-- Who can be assigned to help: the community's grid workers first, then its registered volunteers.
create function public.list_helpers(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 3), array['0', '', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{clerk,committee}') then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', x.id, 'name', x.name, 'kind', case when x.rank = 0 then '网格员' else '志愿者' end),
           'c', app.encode_cursor(array[x.rank::text, x.name, x.id::text])) order by x.rank, x.name, x.id)
    into v_rows
    from (select y.* from (
            select distinct on (p.id) p.id, coalesce(p.real_name, p.display_name) as name,
                   case when exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = p_community_id
                                        and m.role = 'grid_worker') then 0 else 1 end as rank
              from app.profiles p
             where exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = p_community_id and m.role = 'grid_worker')
                or exists (select 1 from app.volunteer_profiles v where v.profile_id = p.id and v.community_id = p_community_id)) y
           where (y.rank, y.name, y.id) > (v_cursor[1]::integer, v_cursor[2], v_cursor[3]::uuid)
           order by y.rank, y.name, y.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.get_hall_workbench(uuid);

-- The counts on the workbench's tabs.
create function public.get_hall_workbench(p_community_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{clerk,committee,supervisor,admin}') then
    perform app.fail('core.forbidden');
  end if;
  return jsonb_build_object(
    'cases', (select count(*) from app.applications a
               where a.community_id = p_community_id and a.status not in ('completed', 'rejected')),
    'overdueCases', (select count(*) from app.applications a
                      where a.community_id = p_community_id and a.status not in ('completed', 'rejected') and a.due_on < app.today()),
    'appointmentsToday', (select count(*) from app.appointment_slots s join app.appointments ap on ap.slot_id = s.id
                           where s.community_id = p_community_id and s.starts_at >= lower(app.today_range()) and s.starts_at < upper(app.today_range()) and ap.status <> 'cancelled'),
    'proxyRequests', (select count(*) from app.proxy_requests p
                       where p.community_id = p_community_id and p.status in ('requested', 'assigned')),
    'rectifications', (select count(*) from app.rectifications r where r.community_id = p_community_id and r.status = 'open'),
    'overdueRectifications', (select count(*) from app.rectifications r
                               where r.community_id = p_community_id and r.status = 'open' and r.due_on < app.today()));
end
$$;

-- One tab of the workbench as a page: open cases by due date (overdue first), today's bookings by time,
-- help requests waiting for a helper or consent, open follow-ups of poor ratings by due date.
create function public.list_hall_work(p_community_id uuid, p_tab text, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_rows jsonb;
  c text[];
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{clerk,committee,supervisor,admin}') then
    perform app.fail('core.forbidden');
  end if;
  if p_tab = 'cases' then
    c := coalesce(app.decode_cursor(p_cursor, 3), array['-infinity', '-infinity', '00000000-0000-0000-0000-000000000000']);
    select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', a.id, 'itemName', i.name, 'status', a.status,
             'statusLabel', app.status_label(a.status), 'applicant', app.masked_name_of(a.applicant_id), 'dueOn', a.due_on,
             'overdue', a.due_on < app.today(), 'updatedAt', a.updated_at),
             'c', app.encode_cursor(array[a.due_on::text, a.created_at::text, a.id::text])) order by a.due_on, a.created_at, a.id)
      into v_rows
      from (select * from app.applications x
             where x.community_id = p_community_id and x.status not in ('completed', 'rejected')
               and (x.due_on, x.created_at, x.id) > (c[1]::date, c[2]::timestamptz, c[3]::uuid)
             order by x.due_on, x.created_at, x.id limit v_limit + 1) a
      join app.service_items i on i.id = a.item_id;
  elsif p_tab = 'appointments' then
    c := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
    select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', x.id, 'itemName', i.name, 'startsAt', x.starts_at,
             'name', app.masked_name_of(x.profile_id), 'status', x.status),
             'c', app.encode_cursor(array[x.starts_at::text, x.id::text])) order by x.starts_at, x.id)
      into v_rows
      from (select ap.*, s.starts_at from app.appointment_slots s join app.appointments ap on ap.slot_id = s.id
             where s.community_id = p_community_id and s.starts_at >= lower(app.today_range()) and s.starts_at < upper(app.today_range()) and ap.status <> 'cancelled'
               and (s.starts_at, ap.id) > (c[1]::timestamptz, c[2]::uuid)
             order by s.starts_at, ap.id limit v_limit + 1) x
      join app.service_items i on i.id = x.item_id;
  elsif p_tab = 'proxy' then
    c := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
    select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', p.id, 'itemName', i.name, 'resident', app.masked_name_of(p.resident_id),
             'note', p.note, 'status', p.status, 'helper', app.masked_name_of(p.helper_id), 'createdAt', p.created_at),
             'c', app.encode_cursor(array[p.created_at::text, p.id::text])) order by p.created_at, p.id)
      into v_rows
      from (select * from app.proxy_requests x
             where x.community_id = p_community_id and x.status in ('requested', 'assigned')
               and (x.created_at, x.id) > (c[1]::timestamptz, c[2]::uuid)
             order by x.created_at, x.id limit v_limit + 1) p
      join app.service_items i on i.id = p.item_id;
  elsif p_tab = 'rectifications' then
    c := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
    select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', r.id, 'applicationId', r.application_id, 'itemName', i.name,
             'rating', a.rating, 'comment', a.rating_comment, 'dueOn', r.due_on, 'overdue', r.due_on < app.today()),
             'c', app.encode_cursor(array[r.due_on::text, r.id::text])) order by r.due_on, r.id)
      into v_rows
      from (select * from app.rectifications x
             where x.community_id = p_community_id and x.status = 'open' and (x.due_on, x.id) > (c[1]::date, c[2]::uuid)
             order by x.due_on, x.id limit v_limit + 1) r
      join app.applications a on a.id = r.application_id
      join app.service_items i on i.id = a.item_id;
  else
    perform app.fail('core.invalid_input', 'field:tab');
  end if;
  return app.page(v_rows, v_limit);
end
$$;

grant execute on function public.search_service_items(uuid, text, text, integer, text), public.list_my_applications(integer, text),
  public.list_my_appointments(integer, text), public.list_my_proxy_requests(integer, text), public.list_notifications(integer, text),
  public.list_appointment_slots(uuid, integer, text), public.list_helpers(uuid, integer, text), public.get_hall_workbench(uuid),
  public.list_hall_work(uuid, text, integer, text) to authenticated;
