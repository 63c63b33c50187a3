-- Dashboards at a street's size: the figures are still computed from the records (app.community_figures and
-- app.community_grid_figures), but a computed answer is kept for ten minutes per community and period, and served again
-- to whoever may see it in that time. A street's page of 20 communities counted each community's period again
-- on every open (about 100 ms at ~1.16 M rows, growing with a month's activity); now it reads 20 kept answers.
-- Each answer says when it was computed (computedAt), and 重新计算 (p_refresh) computes it again at once. The
-- figures themselves move to PL/pgSQL, which keeps their plan for the session (see below).
-- Who may see a community's figures is checked on every call, before anything kept is read.
-- Kept answers hold counts and masked grid-worker names only; those older than a day are removed as new ones
-- are written (they are listed in the retention rules).

create table app.dashboard_snapshots (
  community_id uuid not null references app.communities (id),
  kind text not null check (kind in ('figures', 'grids')),
  period_from date not null,
  period_to date not null,
  body jsonb not null,
  computed_at timestamptz not null default now(),
  primary key (community_id, kind, period_from, period_to)
);
comment on table app.dashboard_snapshots is 'A dashboard answer computed from the records, kept ten minutes for the next viewer (see app.dashboard_snapshot).';
create index dashboard_snapshots_age_idx on app.dashboard_snapshots (computed_at);
alter table app.dashboard_snapshots enable row level security;
-- No policies: read and written only by the dashboard functions below.
grant all on app.dashboard_snapshots to service_role;

-- The figures as in 20261201000300, now in PL/pgSQL: a SQL function's statement is planned again on every
-- call from a separate statement (about 10 ms for this one, more than running it), while PL/pgSQL keeps its
-- plan for the session.
create or replace function app.community_figures(p_community uuid, p_from date, p_to date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return (
    with b as (select (p_from::timestamp at time zone 'Asia/Shanghai') as t0, (p_to::timestamp at time zone 'Asia/Shanghai') as t1),
    -- A case is completed once (办结 is final): the period's completions are the period's 'completed' events.
    completed as (
      select a.id, a.created_at, a.rating, e.at as done_at
        from app.application_events e join app.applications a on a.id = e.application_id, b
       where e.community_id = p_community and e.to_status = 'completed' and e.at >= b.t0 and e.at < b.t1),
    reports as (select r.* from app.grid_reports r, b where r.community_id = p_community and r.created_at >= b.t0 and r.created_at < b.t1),
    resolves as (select s.on_time from app.report_steps s, b where s.community_id = p_community and s.action = 'resolve' and s.at >= b.t0 and s.at < b.t1),
    topics as (select t.* from app.topics t, b where t.community_id = p_community and t.created_at >= b.t0 and t.created_at < b.t1),
    polls as (select p.* from app.polls p, b where p.community_id = p_community and p.closes_at >= b.t0 and p.closes_at < b.t1 and p.closes_at <= now()),
    service as (select s.profile_id, s.minutes from app.activity_signups s, b where s.community_id = p_community and s.confirmed_at >= b.t0 and s.confirmed_at < b.t1
                  and s.minutes is not null),
    entries as (select e.kind, e.delta from app.point_entries e, b where e.community_id = p_community and e.created_at >= b.t0 and e.created_at < b.t1),
    important as (select n.id, n.audience_grid_ids from app.notices n, b where n.community_id = p_community and n.important and n.first_published_at >= b.t0
                    and n.first_published_at < b.t1),
    households as (select h.id, bl.grid_id from app.households h join app.buildings bl on bl.id = h.building_id and bl.community_id = p_community
                    where h.community_id = p_community and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident'))
    select jsonb_build_object(
      'casesOpen', (select count(*) from app.applications a where a.community_id = p_community and a.status in ('submitted', 'accepted', 'processing', 'returned')),
      'casesOverdue', (select count(*) from app.applications a where a.community_id = p_community and a.status in ('submitted', 'accepted', 'processing')
                         and a.due_on < app.today()),
      'casesReceived', (select count(*) from app.applications a, b where a.community_id = p_community and a.created_at >= b.t0 and a.created_at < b.t1),
      'casesCompleted', (select count(*) from completed c, b where c.done_at >= b.t0 and c.done_at < b.t1),
      'averageHandlingDays', (select round(avg(extract(epoch from c.done_at - c.created_at) / 86400)::numeric, 1) from completed c, b where c.done_at >= b.t0 and c.done_at < b.t1),
      'averageCaseRating', (select round(avg(c.rating)::numeric, 2) from completed c, b where c.done_at >= b.t0 and c.done_at < b.t1 and c.rating is not null),
      'reportsReceived', (select count(*) from reports),
      'reportsOpen', (select count(*) from app.grid_reports r where r.community_id = p_community and r.status in ('reported', 'accepted', 'in_progress')),
      'reportsOverdue', (select count(*) from app.grid_reports r where r.community_id = p_community
                           and ((r.status = 'reported' and r.accept_due < now()) or (r.status in ('accepted', 'in_progress') and r.solve_due < now()))),
      'reportsByStatus', (select jsonb_build_object('reported', count(*) filter (where status = 'reported'), 'accepted', count(*) filter (where status = 'accepted'),
                            'in_progress', count(*) filter (where status = 'in_progress'), 'resolved', count(*) filter (where status = 'resolved'),
                            'confirmed', count(*) filter (where status = 'confirmed')) from reports),
      'reportsResolvedOnTimeRate', (select case when count(*) = 0 then null else round(100.0 * count(*) filter (where on_time) / count(*), 1) end from resolves),
      'topicsRaised', (select count(*) from topics),
      'topicsTakenUp', (select count(*) from topics where status in ('in_procedure', 'decided', 'rejected')),
      'topicsDecided', (select count(*) from topics where status = 'decided'),
      'pollTurnoutRate', (select case when sum(x.electorate) = 0 or count(*) = 0 then null else round(100.0 * sum(x.voters) / sum(x.electorate), 1) end
                            from (select (select count(*) from app.poll_voters v where v.poll_id = p.id) as voters,
                                         case p.electorate when 'households' then (select count(*) from households)
                                                           else (select count(*) from app.memberships m where m.community_id = p_community and m.role = 'resident') end as electorate
                                    from polls p) x),
      'volunteerHours', (select round(coalesce(sum(minutes), 0) / 60.0, 1) from service),
      'activeVolunteers', (select count(distinct profile_id) from service),
      'pointsIssued', (select coalesce(sum(delta), 0) from entries where kind in ('service', 'award')),
      'pointsSpent', (select coalesce(-sum(delta), 0) from entries where kind = 'redemption') - (select coalesce(sum(delta), 0) from entries where kind = 'refund'),
      'pointsOutstanding', (select coalesce(sum(a.balance), 0) from app.point_accounts a where a.community_id = p_community),
      'importantNotices', (select count(*) from important),
      -- Per notice: its audience's households less those that read it (the notice's own reads, by index).
      'importantUnreadHouseholds', (select coalesce(sum((select count(*) from households h where i.audience_grid_ids is null or h.grid_id = any (i.audience_grid_ids))
                                                        - (select count(distinct r.household_id) from app.notice_reads r join households h on h.id = r.household_id
                                                            where r.notice_id = i.id and (i.audience_grid_ids is null or h.grid_id = any (i.audience_grid_ids)))), 0)::integer
                                      from important i),
      'verificationsPending', (select count(*) from app.verification_requests v where v.community_id = p_community and v.status = 'pending'),
      'oldestVerificationDays', (select floor(extract(epoch from now() - min(v.created_at)) / 86400)::integer from app.verification_requests v
                                  where v.community_id = p_community and v.status = 'pending'),
      'households', (select count(*) from app.households h where h.community_id = p_community),
      'residents', (select count(*) from app.memberships m where m.community_id = p_community and m.role = 'resident')));
end
$$;

-- A community's grids side by side for a period (was inline in get_community_dashboard).
create function app.community_grid_figures(p_community uuid, p_from date, p_to date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return (select coalesce(jsonb_agg(jsonb_build_object('gridId', g.id, 'name', g.name,
       'households', (select count(*) from app.households h join app.buildings b on b.id = h.building_id where b.grid_id = g.id),
       'reportsReceived', (select count(*) from app.grid_reports r where r.grid_id = g.id
                             and r.created_at >= (p_from::timestamp at time zone 'Asia/Shanghai') and r.created_at < (p_to::timestamp at time zone 'Asia/Shanghai')),
       'reportsOpen', (select count(*) from app.grid_reports r where r.grid_id = g.id and r.status in ('reported', 'accepted', 'in_progress')),
       'reportsOverdue', (select count(*) from app.grid_reports r where r.grid_id = g.id
                            and ((r.status = 'reported' and r.accept_due < now()) or (r.status in ('accepted', 'in_progress') and r.solve_due < now()))),
       'householdsVisited', (select count(distinct v.household_id) from app.household_visits v where v.grid_id = g.id
                               and v.visited_at >= (p_from::timestamp at time zone 'Asia/Shanghai') and v.visited_at < (p_to::timestamp at time zone 'Asia/Shanghai')),
       'workers', (select coalesce(jsonb_agg(app.masked_name_of(m.profile_id)), '[]'::jsonb) from app.memberships m where m.grid_id = g.id and m.role = 'grid_worker'))
       order by g.name), '[]'::jsonb)
    from (select * from app.grids x where x.community_id = p_community order by x.name limit 200) g);
end
$$;

-- How old a kept answer may be: ten minutes; a minute when 重新计算 is asked for (so that pressing it again and
-- again, or a retried request, does not count everything again each time).
create function app.dashboard_max_age(p_refresh boolean) returns interval
language sql immutable set search_path = '' as $$
  select case when coalesce(p_refresh, false) then interval '1 minute' else interval '10 minutes' end;
$$;

-- Kept answers over a day old go, a hundred at a time, whenever answers are written (rows someone is writing
-- right now are left for next time). Listed in the retention rules.
create function app.prune_dashboard_snapshots() returns void
language sql volatile security definer set search_path = '' as $$
  delete from app.dashboard_snapshots x
   where (x.community_id, x.kind, x.period_from, x.period_to) in (
     select y.community_id, y.kind, y.period_from, y.period_to from app.dashboard_snapshots y
      where y.computed_at < now() - interval '1 day' order by y.computed_at limit 100 for update skip locked);
$$;

insert into app.retention_periods (kind, keep, what, why, enforced_by) values
  ('dashboard_snapshots', interval '1 day', '看板上算好的数字（只有统计数和打码的网格员姓名）',
   '同一期间的看板 10 分钟内再打开时不用重算；超过一天的在下次计算时删除', 'dashboards');

-- The kept answer if it is under ten minutes old (a minute when a refresh is asked for), else a new one, kept.
-- Callers check who may see the community first.
create function app.dashboard_snapshot(p_community uuid, p_kind text, p_from date, p_to date, p_refresh boolean)
returns app.dashboard_snapshots
language plpgsql volatile security definer set search_path = '' as $$
declare
  s app.dashboard_snapshots;
begin
  select * into s from app.dashboard_snapshots x
   where x.community_id = p_community and x.kind = p_kind and x.period_from = p_from and x.period_to = p_to
     and x.computed_at > now() - app.dashboard_max_age(p_refresh);
  if found then
    return s;
  end if;
  insert into app.dashboard_snapshots as x (community_id, kind, period_from, period_to, body, computed_at)
  values (p_community, p_kind, p_from, p_to,
          case p_kind when 'figures' then app.community_figures(p_community, p_from, p_to) else app.community_grid_figures(p_community, p_from, p_to) end,
          now())
  on conflict (community_id, kind, period_from, period_to) do update set body = excluded.body, computed_at = excluded.computed_at
  returning * into s;
  perform app.prune_dashboard_snapshots();
  return s;
end
$$;
revoke execute on function app.community_grid_figures(uuid, date, date), app.dashboard_snapshot(uuid, text, date, date, boolean),
  app.dashboard_max_age(boolean), app.prune_dashboard_snapshots() from public;

drop function public.get_street_dashboard(uuid, date, date, integer, text);
-- The street's communities side by side (street admins). Each item says when its figures were computed.
create function public.get_street_dashboard(p_street_id uuid, p_from date, p_to date, p_limit integer default 50, p_cursor text default null,
                                            p_refresh boolean default false) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
  v_ids uuid[];
begin
  if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = app.require_uid()) then
    perform app.fail('admin.street_admin_only');
  end if;
  perform app.check_period(p_from, p_to);
  -- The page's communities once (and the one after it, for the cursor).
  select array_agg(x.id order by x.name, x.id) into v_ids
    from (select c.id, c.name from app.communities c where c.street_id = p_street_id and (c.name, c.id) > (cur[1], cur[2]::uuid)
           order by c.name, c.id limit v_limit + 1) x;
  v_ids := coalesce(v_ids, '{}');
  -- Those on the page without a kept answer young enough, computed in one statement and kept.
  insert into app.dashboard_snapshots as x (community_id, kind, period_from, period_to, body, computed_at)
  select c.id, 'figures', p_from, p_to, app.community_figures(c.id, p_from, p_to), now()
    from unnest(v_ids[1:v_limit]) as c(id)
   where not exists (select 1 from app.dashboard_snapshots y where y.community_id = c.id and y.kind = 'figures' and y.period_from = p_from
                        and y.period_to = p_to and y.computed_at > now() - app.dashboard_max_age(p_refresh))
  on conflict (community_id, kind, period_from, period_to) do update set body = excluded.body, computed_at = excluded.computed_at;
  perform app.prune_dashboard_snapshots();
  select jsonb_agg(jsonb_build_object('i', case when u.n <= v_limit then
           jsonb_build_object('communityId', c.id, 'name', c.name, 'kind', c.kind, 'archived', c.archived_at is not null,
                              'figures', s.body, 'computedAt', s.computed_at) end,
           'c', app.encode_cursor(array[c.name, c.id::text])) order by u.n)
    into v_rows
    from unnest(v_ids) with ordinality as u(id, n)
    join app.communities c on c.id = u.id
    left join app.dashboard_snapshots s on s.community_id = c.id and s.kind = 'figures' and s.period_from = p_from and s.period_to = p_to;
  return app.page(v_rows, v_limit) || jsonb_build_object('from', p_from, 'to', p_to);
end
$$;

drop function public.get_community_dashboard(uuid, date, date);
-- One community's figures and its grids side by side (its committee, supervisors and street admins).
create function public.get_community_dashboard(p_community_id uuid, p_from date, p_to date, p_refresh boolean default false) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  f app.dashboard_snapshots;
  g app.dashboard_snapshots;
begin
  perform app.require_uid();
  if not app.is_overseer(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  perform app.check_period(p_from, p_to);
  f := app.dashboard_snapshot(p_community_id, 'figures', p_from, p_to, p_refresh);
  g := app.dashboard_snapshot(p_community_id, 'grids', p_from, p_to, p_refresh);
  return jsonb_build_object('communityId', p_community_id, 'from', p_from, 'to', p_to,
    'name', (select c.name from app.communities c where c.id = p_community_id),
    'figures', f.body, 'grids', g.body, 'computedAt', least(f.computed_at, g.computed_at));
end
$$;

grant execute on function public.get_street_dashboard(uuid, date, date, integer, text, boolean),
  public.get_community_dashboard(uuid, date, date, boolean) to authenticated;
