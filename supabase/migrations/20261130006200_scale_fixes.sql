-- Two lists that still grew with the street (npm run bench -- --scale), and the per-row checks behind them.
--
--   * GET /api/notices/home was about 2× slower with 100× the rows. Its emergencies section walked every
--     notice of the community backwards (notices_shown_idx), because `category = 'emergency'` is not
--     leakproof and so may not become an index condition under RLS; every row walked was checked by the
--     notices policy "Supervisors see notices under review", which called app.has_role per row (and read
--     app.notice_versions, whose policy called app.can_see_version → can_read_notice → has_role per row).
--     Now: a partial index of emergencies by expiry, so the section reads only the emergencies still in
--     force (expires_at is null or later than now) and probes the caller's read receipt per candidate;
--     the versions, reads and supervisors' policies compare columns with sets computed once per statement.
--     Who sees what is unchanged (supabase/tests/scale-fixes.test.ts compares every row, for every persona,
--     with app.can_see_version, which stays as the reference definition).
--   * GET /api/hall/helpers scanned every profile of the street (`exists … or exists …`): now two
--     index-driven branches, the community's grid workers and its volunteers who are not grid workers,
--     each cut at one page, merged by the same keyset (rank, name, id).

-- ---------------------------------------------------------------- notices: policies without per-row functions

-- A supervisor's "under review" test, without going through app.notice_versions' RLS: the versions policy
-- below reads app.notices, so a notices policy that read app.notice_versions as the caller would recurse.
-- (Under the old policy the caller could see those versions whenever this policy's role test passed, so
-- reading them as the owner changes nothing.)
create function app.notice_under_review(p_notice uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.notice_versions v where v.notice_id = p_notice and v.status in ('submitted', 'returned'));
$$;
comment on function app.notice_under_review is 'The notice has a version waiting for (submitted) or sent back from (returned) the supervisors'' review.';
grant execute on function app.notice_under_review(uuid) to authenticated;

drop policy "Supervisors see notices under review" on app.notices;
create policy "Supervisors see notices under review" on app.notices
  for select to authenticated using (
    community_id = any ((select app.my_community_ids('{supervisor}'))::uuid[]) and app.notice_under_review(id));

-- Published versions: visible when their (published) notice is visible to the caller — the notices policies
-- decide, set-based. Other versions: the committee and street admins; supervisors those under review.
-- community_id is the notice's (composite foreign key), so no join is needed for those.
drop policy "Versions are visible as their status allows" on app.notice_versions;
create policy "Versions are visible as their status allows" on app.notice_versions
  for select to authenticated using (
    case when status = 'published'
         then exists (select 1 from app.notices n where n.id = notice_versions.notice_id and n.first_published_at is not null)
         else community_id = any ((select app.my_community_ids('{committee,admin}'))::uuid[])
              or (status in ('submitted', 'returned') and community_id = any ((select app.my_community_ids('{supervisor}'))::uuid[]))
    end);

-- Read receipts carry their notice's community (composite foreign key): no need to look the notice up per row.
drop policy "Staff see reads of their community's notices" on app.notice_reads;
create policy "Staff see reads of their community's notices" on app.notice_reads
  for select to authenticated using (community_id = any ((select app.my_community_ids('{committee,grid_worker,admin}'))::uuid[]));

-- ---------------------------------------------------------------- notices: the home page's emergencies

-- Emergencies by expiry: "still in force" is `expires_at is null or expires_at > now()`, two index ranges
-- (a BitmapOr), whatever the community's history of emergencies. Both conditions are leakproof, so they
-- are index conditions under RLS; the category is the index's predicate.
create index notices_emergency_idx on app.notices (community_id, expires_at) where category = 'emergency';

-- The home page: unread emergencies (up to 5), pinned (up to 10), then the 5 latest others.
create or replace function public.get_notice_home(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    -- The emergencies in force are few: read them all from notices_emergency_idx (materialized, so the
    -- planner has no reason to walk notices_shown_idx through the community's history instead), look up
    -- the caller's read receipt for each (`offset 0` keeps that a primary-key probe per candidate rather
    -- than a join with every receipt the caller has), then sort.
    'emergencies', (with in_force as materialized (
                      select n.* from app.notices n
                       where n.community_id = p_community_id and n.category = 'emergency'
                         and (n.expires_at is null or n.expires_at > now()) and n.shown_at <= now()
                         and not exists (select 1 from app.notice_reads r
                                          where r.notice_id = n.id and r.profile_id = (select auth.uid()) offset 0))
                    select coalesce(jsonb_agg(app.notice_summary(x) order by x.shown_at desc), '[]'::jsonb)
                      from (select * from in_force order by shown_at desc limit 5) x),
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

-- ---------------------------------------------------------------- hall: who can be assigned to help

-- Who can be assigned to help: the community's grid workers first, then its registered volunteers (a
-- volunteer who is also a grid worker is listed once, as a grid worker). Each branch reads its own index
-- (memberships_community_role_idx, volunteer_profiles_community_idx) and stops at one page.
create or replace function public.list_helpers(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_cursor text[] := coalesce(app.decode_cursor(p_cursor, 3), array['0', '', '00000000-0000-0000-0000-000000000000']);
  v_rank integer := v_cursor[1]::integer;
  v_name text := v_cursor[2];
  v_id uuid := v_cursor[3]::uuid;
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
            (select 0 as rank, g.id, g.name
               from (select p.id, coalesce(p.real_name, p.display_name) as name
                       from app.profiles p
                      where p.id in (select m.profile_id from app.memberships m
                                      where m.community_id = p_community_id and m.role = 'grid_worker')) g
              where (0, g.name, g.id) > (v_rank, v_name, v_id)
              order by g.name, g.id limit v_limit + 1)
            union all
            (select 1 as rank, w.id, w.name
               from (select p.id, coalesce(p.real_name, p.display_name) as name
                       from app.volunteer_profiles v join app.profiles p on p.id = v.profile_id
                      where v.community_id = p_community_id
                        and not exists (select 1 from app.memberships m
                                         where m.profile_id = v.profile_id and m.community_id = p_community_id and m.role = 'grid_worker')) w
              where (1, w.name, w.id) > (v_rank, v_name, v_id)
              order by w.name, w.id limit v_limit + 1)) y
           order by y.rank, y.name, y.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;
