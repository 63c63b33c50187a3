-- Notices at a street's scale: every list is a page, every page is one indexed range scan.
--
-- What changed and why (the rules themselves are unchanged):
--   * the order of every notice list is `shown_at` (the scheduled time, else the first publication), kept
--     as a stored column with an index per list shape, so "newest first" reads the index backwards and
--     stops after one page instead of building every readable notice first;
--   * who may read a notice is now an RLS policy that compares columns with the caller's communities and
--     grids computed once per statement, not a function called for every row (twice);
--   * lists answer { items, nextCursor } (keyset on shown_at, id); the home page's sections have caps;
--     the unread households of a read-statistics answer are a page of their own.

alter table app.notices add column shown_at timestamptz generated always as (coalesce(publish_at, first_published_at)) stored;
comment on column app.notices.shown_at is 'When residents see the notice as published: the scheduled time, else the first publication.';
create index notices_shown_idx on app.notices (community_id, shown_at, id);
create index notices_category_shown_idx on app.notices (community_id, category, shown_at, id);
create index notices_pinned_idx on app.notices (community_id, shown_at) where pinned;
create index notice_versions_open_idx on app.notice_versions (written_at, notice_id, version) where status <> 'published';

-- ---------------------------------------------------------------- who reads what (set-based)

drop policy "Readers see published notices meant for them" on app.notices;
drop policy "Committee and admins see all notices of their community" on app.notices;

create policy "Readers see published notices meant for them" on app.notices
  for select to authenticated using (
    first_published_at is not null and (
      community_id = any ((select app.my_community_ids('{committee,supervisor,admin}'))::uuid[])
      or ((publish_at is null or publish_at <= now()) and (
            community_id = any ((select app.my_community_ids('{clerk,grid_worker}'))::uuid[])
            or (community_id = any ((select app.my_community_ids('{resident}'))::uuid[])
                and (audience_grid_ids is null or audience_grid_ids && (select app.my_grid_ids())::uuid[]))))));
create policy "Committee and admins see all notices of their community" on app.notices
  for select to authenticated using (community_id = any ((select app.my_community_ids('{committee,admin}'))::uuid[]));

-- ---------------------------------------------------------------- lists

drop function public.list_notices(uuid, text, integer, timestamptz, boolean);

-- Published notices of a community the caller may read (RLS), newest first; optionally one category.
create function public.list_notices(p_community_id uuid, p_category text default null, p_include_expired boolean default false,
                                    p_limit integer default 20, p_cursor text default null)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_at timestamptz := v_cursor[1]::timestamptz;
  v_id uuid := v_cursor[2]::uuid;
  v_rows jsonb;
begin
  -- One statement per shape, so each plan is a backward range scan of its own index.
  if p_category is null then
    select jsonb_agg(jsonb_build_object('i', app.notice_summary(x), 'c', app.encode_cursor(array[x.shown_at::text, x.id::text]))
                     order by x.shown_at desc, x.id desc)
      into v_rows
      from (select n.* from app.notices n
             where n.community_id = p_community_id
               and (n.shown_at, n.id) < (v_at, v_id) and n.shown_at <= now()
               and (p_include_expired or n.expires_at is null or n.expires_at > now())
             order by n.shown_at desc, n.id desc
             limit v_limit + 1) x;
  else
    select jsonb_agg(jsonb_build_object('i', app.notice_summary(x), 'c', app.encode_cursor(array[x.shown_at::text, x.id::text]))
                     order by x.shown_at desc, x.id desc)
      into v_rows
      from (select n.* from app.notices n
             where n.community_id = p_community_id and n.category::text = p_category
               and (n.shown_at, n.id) < (v_at, v_id) and n.shown_at <= now()
               and (p_include_expired or n.expires_at is null or n.expires_at > now())
             order by n.shown_at desc, n.id desc
             limit v_limit + 1) x;
  end if;
  return app.page(v_rows, v_limit);
end
$$;

-- The home page: unread emergencies (up to 5), pinned (up to 10), then the 5 latest others.
create or replace function public.get_notice_home(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'emergencies', (select coalesce(jsonb_agg(app.notice_summary(x) order by x.shown_at desc), '[]'::jsonb)
                      from (select n.* from app.notices n
                             where n.community_id = p_community_id and n.category = 'emergency' and n.shown_at <= now()
                               and (n.expires_at is null or n.expires_at > now())
                               and not exists (select 1 from app.notice_reads r where r.notice_id = n.id and r.profile_id = (select auth.uid()))
                             order by n.shown_at desc limit 5) x),
    'pinned', (select coalesce(jsonb_agg(app.notice_summary(x) order by x.shown_at desc), '[]'::jsonb)
                 from (select n.* from app.notices n
                        where n.community_id = p_community_id and n.pinned and n.shown_at <= now()
                          and (n.expires_at is null or n.expires_at > now())
                        order by n.shown_at desc limit 10) x),
    'latest', (select coalesce(jsonb_agg(app.notice_summary(x) order by x.shown_at desc, x.id desc), '[]'::jsonb)
                 from (select n.* from app.notices n
                        where n.community_id = p_community_id and not n.pinned and n.shown_at <= now()
                          and (n.expires_at is null or n.expires_at > now())
                        order by n.shown_at desc, n.id desc limit 5) x));
$$;

drop function public.list_notice_work(uuid);

-- Committee: drafts, returned and submitted versions; supervisors: what waits for their review. Newest first.
create function public.list_notice_work(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 3), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '2147483647']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', x.item, 'c', app.encode_cursor(array[x.written_at::text, x.notice_id::text, x.version::text]))
                   order by x.written_at desc, x.notice_id desc, x.version desc)
    into v_rows
    from (select v.written_at, v.notice_id, v.version, jsonb_build_object(
                   'id', n.id, 'category', n.category, 'title', v.title, 'version', v.version, 'status', v.status,
                   'writtenAt', v.written_at, 'submittedAt', v.submitted_at, 'reviewComment', v.review_comment,
                   'correctionNote', v.correction_note, 'financePeriod', n.finance_period) as item
            from app.notice_versions v join app.notices n on n.id = v.notice_id
           where n.community_id = p_community_id and v.status <> 'published'
             and (v.written_at, v.notice_id, v.version) < (v_cursor[1]::timestamptz, v_cursor[2]::uuid, v_cursor[3]::integer)
           order by v.written_at desc, v.notice_id desc, v.version desc
           limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.get_notice_read_stats(uuid);

-- Who has read an important notice, by household, so grid workers can tell the rest in person.
-- Counts for the whole audience; the unread households as a page (by building and room).
create function public.get_notice_read_stats(p_notice_id uuid, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  n app.notices;
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_all boolean;
  v_grids uuid[];
  v_page jsonb;
begin
  perform app.require_uid();
  select * into n from app.notices where id = p_notice_id;
  if n.id is null or not app.can_read_notice(n.id) then
    perform app.fail('notices.not_found');
  end if;
  if not app.has_role(n.community_id, '{committee,grid_worker,admin}') then
    perform app.fail('core.forbidden');
  end if;
  -- Committee and admins see every household of the audience; grid workers their own grids'.
  v_all := app.is_committee(n.community_id);
  select coalesce(array_agg(m.grid_id), '{}') into v_grids from app.memberships m
   where m.profile_id = (select auth.uid()) and m.community_id = n.community_id and m.role = 'grid_worker';

  with audience as (
    select h.id, b.name || ' ' || h.room as address, g.name as grid_name,
           exists (select 1 from app.notice_reads r where r.notice_id = n.id and r.household_id = h.id) as has_read
      from app.households h join app.buildings b on b.id = h.building_id join app.grids g on g.id = b.grid_id
     where h.community_id = n.community_id
       and (n.audience_grid_ids is null or g.id = any (n.audience_grid_ids))
       and (v_all or g.id = any (v_grids))
       and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')),
  unread as (
    select a.* from audience a
     where not a.has_read and (a.address, a.id) > (v_cursor[1], v_cursor[2]::uuid)
     order by a.address, a.id limit v_limit + 1)
  select jsonb_build_object(
    'noticeId', n.id, 'important', n.important,
    'readers', (select count(*) from app.notice_reads r where r.notice_id = n.id),
    'households', (select count(*) from audience),
    'householdsRead', (select count(*) from audience where has_read),
    'page', app.page((select jsonb_agg(jsonb_build_object(
                        'i', jsonb_build_object('householdId', u.id, 'address', u.address, 'gridName', u.grid_name,
                               'residents', (select jsonb_agg(app.mask_name(coalesce(p.real_name, p.display_name)))
                                               from app.memberships m join app.profiles p on p.id = m.profile_id
                                              where m.household_id = u.id and m.role = 'resident')),
                        'c', app.encode_cursor(array[u.address, u.id::text])) order by u.address, u.id)
                        from unread u), v_limit))
    into v_page;
  return (v_page - 'page') || jsonb_build_object('unreadHouseholds', v_page -> 'page' -> 'items', 'nextCursor', v_page -> 'page' -> 'nextCursor');
end
$$;

grant execute on function public.list_notices(uuid, text, boolean, integer, text), public.list_notice_work(uuid, integer, text),
  public.get_notice_read_stats(uuid, integer, text) to authenticated;
