-- Grid management (网格化管理): 随手拍 reports, the ladder 网格 → 社区 → 街道, departments called in (吹哨部门报到),
-- household visits (走访), the work log (民情日志), dispute mediation (矛盾纠纷调解) and the grid worker's monthly
-- figures (工作量化), all computed from these records.
--
-- Rules enforced here:
--   * a report goes to the grid of its place; a grid without a worker sends it to the community;
--   * it moves 已上报 → 已受理 → 处置中 → 已办结 → 已确认 (the reporter) or back to 处置中 (the reporter reopens
--     within 7 days, with a reason); each move only by the level that holds it: the grid's worker, the
--     community's staff, the street's admins; a department called in answers 报到 with what it did;
--   * each category has time limits to accept and to solve; past them the report climbs one level by
--     itself (escalate_overdue_reports, scheduled), once per overdue step even when two schedulers race;
--     the worker can also escalate with a reason (难事);
--   * a report can't be closed while a called department hasn't answered; a category may require an
--     after-photo to close;
--   * a rating once, by the reporter, after confirming; 1–2 stars reopen it for the community;
--   * every step is recorded (who, when, level, what, whether on time); the reporter and those who joined
--     ("同一件事") follow it; an anonymous reporter is anonymous to neighbours, never to staff;
--   * dispute details are readable only by the mediators (the grid's worker) and the committee;
--   * 考核 figures are never typed in: get_grid_figures counts them from steps, visits and mediations.

-- ---------------------------------------------------------------- reference data

create table app.report_categories (
  community_id uuid not null references app.communities (id),
  code text not null check (code ~ '^[a-z_]{2,30}$'),
  name text not null check (char_length(name) between 2 and 20),
  accept_hours integer not null check (accept_hours between 1 and 720),
  solve_hours integer not null check (solve_hours between 1 and 2160),
  needs_after_photo boolean not null default false,
  emergency boolean not null default false,
  sort integer not null default 0,
  primary key (community_id, code)
);
comment on table app.report_categories is '随手拍 categories of a community, each with its time limits (accept, solve) and whether closing needs a photo.';

create function app.add_default_report_categories() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into app.report_categories (community_id, code, name, accept_hours, solve_hours, needs_after_photo, emergency, sort)
  values (new.id, 'sanitation', '环境卫生', 24, 72, true, false, 1),
         (new.id, 'hazard', '安全隐患', 4, 48, true, true, 2),
         (new.id, 'facility', '设施损坏', 24, 120, true, false, 3),
         (new.id, 'dispute', '矛盾纠纷', 24, 168, false, false, 4),
         (new.id, 'noise', '噪音扰民', 24, 72, false, false, 5),
         (new.id, 'other', '其他', 48, 168, false, false, 6)
  on conflict do nothing;
  return new;
end
$$;
create trigger communities_report_categories after insert on app.communities
  for each row execute function app.add_default_report_categories();
-- Existing communities get the defaults too.
insert into app.report_categories (community_id, code, name, accept_hours, solve_hours, needs_after_photo, emergency, sort)
select c.id, d.code, d.name, d.accept_hours, d.solve_hours, d.needs_after_photo, d.emergency, d.sort
  from app.communities c
 cross join (values ('sanitation', '环境卫生', 24, 72, true, false, 1), ('hazard', '安全隐患', 4, 48, true, true, 2),
                    ('facility', '设施损坏', 24, 120, true, false, 3), ('dispute', '矛盾纠纷', 24, 168, false, false, 4),
                    ('noise', '噪音扰民', 24, 72, false, false, 5), ('other', '其他', 48, 168, false, false, 6))
       as d(code, name, accept_hours, solve_hours, needs_after_photo, emergency, sort)
on conflict do nothing;

create table app.public_places (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  grid_id uuid not null,
  name text not null check (char_length(name) between 2 and 40),
  created_at timestamptz not null default now(),
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  unique (community_id, name),
  unique (id, community_id)
);
comment on table app.public_places is 'Public places of a community (a square, a gate, the market), each in a grid, for reports not at a building.';
create index public_places_grid_idx on app.public_places (community_id, grid_id);

create table app.departments (
  id uuid primary key default gen_random_uuid(),
  street_id uuid not null references app.streets (id),
  name text not null check (char_length(name) between 2 and 30),
  phone text not null default '' check (char_length(phone) <= 30),
  created_at timestamptz not null default now(),
  unique (street_id, name)
);
comment on table app.departments is 'Street-level departments a report can call in (城管, 市场监管, 派出所, 供电, 供水, 物业…). Street level: a reference table.';

create table app.department_contacts (
  department_id uuid not null references app.departments (id),
  profile_id uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  primary key (department_id, profile_id)
);
comment on table app.department_contacts is 'The people who answer 报到 for a department. Street level: a reference table.';
create index department_contacts_profile_idx on app.department_contacts (profile_id);

-- ---------------------------------------------------------------- reports

create table app.grid_reports (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  grid_id uuid not null,
  category text not null,
  description text not null check (char_length(description) between 5 and 1000),
  place_kind text not null check (place_kind in ('household', 'building', 'place', 'point', 'text')),
  building_id uuid,
  place_id uuid,
  latitude numeric(9, 6) check (latitude between -90 and 90),
  longitude numeric(9, 6) check (longitude between -180 and 180),
  place_text text not null default '' check (char_length(place_text) <= 100),
  anonymous boolean not null default false,
  reporter_id uuid not null references app.profiles (id),
  status text not null default 'reported' check (status in ('reported', 'accepted', 'in_progress', 'resolved', 'confirmed')),
  level text not null default 'grid' check (level in ('grid', 'community', 'street')),
  accept_due timestamptz not null,
  solve_due timestamptz,
  resolved_at timestamptz,
  reopen_count integer not null default 0 check (reopen_count >= 0),
  rating integer check (rating between 1 and 5),
  rating_comment text check (rating_comment is null or char_length(rating_comment) <= 300),
  idempotency_key text not null check (char_length(idempotency_key) between 8 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  foreign key (community_id, category) references app.report_categories (community_id, code),
  foreign key (building_id, community_id) references app.buildings (id, community_id),
  foreign key (place_id, community_id) references app.public_places (id, community_id),
  unique (reporter_id, idempotency_key),
  unique (id, community_id),
  check (place_kind not in ('household', 'building') or building_id is not null),
  check (place_kind <> 'place' or place_id is not null),
  check (place_kind <> 'point' or (latitude is not null and longitude is not null)),
  check (place_kind <> 'text' or char_length(btrim(place_text)) >= 2),
  check ((status in ('resolved', 'confirmed')) = (resolved_at is not null)),
  check (rating is null or status = 'confirmed' or reopen_count > 0)
);
comment on table app.grid_reports is '随手拍: a problem a resident reported, where it is on the ladder (网格/社区/街道) and in its states.';
create index grid_reports_grid_queue_idx on app.grid_reports (community_id, grid_id, level, status, accept_due);
create index grid_reports_community_queue_idx on app.grid_reports (community_id, level, status, updated_at, id);
create index grid_reports_open_due_idx on app.grid_reports (accept_due) where status = 'reported' and level <> 'street';
create index grid_reports_solve_due_idx on app.grid_reports (solve_due) where status in ('accepted', 'in_progress') and level <> 'street';
create index grid_reports_reporter_idx on app.grid_reports (reporter_id, created_at, id);
create index grid_reports_similar_idx on app.grid_reports (community_id, category, created_at) where status in ('reported', 'accepted', 'in_progress');
create index grid_reports_building_idx on app.grid_reports (community_id, building_id);
create index grid_reports_place_idx on app.grid_reports (community_id, place_id);

create table app.report_followers (
  report_id uuid not null,
  community_id uuid not null,
  profile_id uuid not null references app.profiles (id),
  joined_at timestamptz not null default now(),
  primary key (report_id, profile_id),
  foreign key (report_id, community_id) references app.grid_reports (id, community_id)
);
comment on table app.report_followers is 'Who follows a report: its reporter and residents who said "同一件事" and joined it.';
create index report_followers_profile_idx on app.report_followers (profile_id, joined_at);
create index report_followers_tenant_idx on app.report_followers (community_id, report_id);

create table app.report_steps (
  id bigint generated always as identity primary key,
  report_id uuid not null,
  community_id uuid not null,
  at timestamptz not null default now(),
  actor_id uuid references app.profiles (id),
  action text not null check (action in ('report', 'join', 'accept', 'start', 'resolve', 'escalate', 'auto_escalate', 'call_department',
                                         'department_report', 'confirm', 'reopen', 'rate', 'review')),
  from_status text,
  to_status text,
  from_level text,
  to_level text,
  -- The deadline that applied to this step and whether it was met (accept and resolve steps): the figures read these.
  due_at timestamptz,
  on_time boolean,
  note text not null default '' check (char_length(note) <= 500),
  department_id uuid references app.departments (id),
  foreign key (report_id, community_id) references app.grid_reports (id, community_id)
);
comment on table app.report_steps is 'Every step of a report: who, when, at which level, what, and whether it was on time. Append-only.';
create index report_steps_report_idx on app.report_steps (community_id, report_id, at);
create index report_steps_actor_idx on app.report_steps (actor_id, action, at);
create index report_steps_month_idx on app.report_steps (community_id, action, at);
create trigger report_steps_append_only before update or delete on app.report_steps for each row execute function app.forbid_change();

create table app.department_calls (
  id uuid primary key default gen_random_uuid(),
  report_id uuid not null,
  community_id uuid not null,
  department_id uuid not null references app.departments (id),
  called_by uuid not null references app.profiles (id),
  called_at timestamptz not null default now(),
  due_at timestamptz not null,
  answered_by uuid references app.profiles (id),
  answered_at timestamptz,
  answer text check (answer is null or char_length(answer) between 2 and 500),
  foreign key (report_id, community_id) references app.grid_reports (id, community_id),
  unique (report_id, department_id),
  check ((answered_at is null) = (answer is null))
);
comment on table app.department_calls is '吹哨部门报到: a department called onto a report, and its answer (what it did).';
create index department_calls_department_idx on app.department_calls (department_id, answered_at, called_at);
create index department_calls_tenant_idx on app.department_calls (community_id, report_id);

-- ---------------------------------------------------------------- the grid worker's own records

create table app.household_visits (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null,
  grid_id uuid not null,
  household_id uuid not null,
  visited_by uuid not null references app.profiles (id),
  visited_at timestamptz not null default now(),
  met text not null check (char_length(met) between 1 and 60),
  topics text[] not null default '{}' check (cardinality(topics) <= 10),
  note text not null default '' check (char_length(note) <= 1000),
  follow_up text check (follow_up is null or char_length(follow_up) between 2 and 300),
  follow_up_due date,
  follow_up_done_at timestamptz,
  dispute_id uuid,
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  foreign key (household_id, community_id) references app.households (id, community_id),
  check ((follow_up is null) = (follow_up_due is null))
);
comment on table app.household_visits is '走访: a grid worker''s visit to a household: whom they met, the topics, follow-ups with due dates.';
create index household_visits_grid_idx on app.household_visits (community_id, grid_id, visited_at, id);
create index household_visits_household_idx on app.household_visits (community_id, household_id, visited_at);
create index household_visits_by_idx on app.household_visits (visited_by, visited_at);

create table app.work_logs (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null,
  grid_id uuid not null,
  author_id uuid not null references app.profiles (id),
  day date not null,
  body text not null check (char_length(body) between 2 and 2000),
  created_at timestamptz not null default now(),
  foreign key (grid_id, community_id) references app.grids (id, community_id)
);
comment on table app.work_logs is '民情日志: a grid worker''s dated notes of the day.';
create index work_logs_author_idx on app.work_logs (community_id, author_id, day, id);

create table app.disputes (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null,
  grid_id uuid not null,
  title text not null check (char_length(title) between 2 and 60),
  details text not null check (char_length(details) between 5 and 3000),
  party_household_ids uuid[] not null check (cardinality(party_household_ids) between 1 and 10),
  status text not null default 'open' check (status in ('open', 'agreed', 'referred', 'closed')),
  agreement text check (agreement is null or char_length(agreement) between 2 and 2000),
  referred_to text check (referred_to is null or char_length(referred_to) between 2 and 100),
  report_id uuid,
  created_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  concluded_at timestamptz,
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  foreign key (report_id, community_id) references app.grid_reports (id, community_id),
  unique (id, community_id),
  check (status <> 'agreed' or agreement is not null),
  check (status <> 'referred' or referred_to is not null),
  check ((status = 'open') = (concluded_at is null))
);
comment on table app.disputes is '矛盾纠纷调解: a dispute between households; its details only for the mediators and the committee.';
create index disputes_grid_idx on app.disputes (community_id, grid_id, created_at, id);
alter table app.household_visits add foreign key (dispute_id, community_id) references app.disputes (id, community_id);

create table app.mediation_sessions (
  id uuid primary key default gen_random_uuid(),
  dispute_id uuid not null,
  community_id uuid not null,
  held_at timestamptz not null default now(),
  mediator_id uuid not null references app.profiles (id),
  notes text not null check (char_length(notes) between 2 and 3000),
  foreign key (dispute_id, community_id) references app.disputes (id, community_id)
);
comment on table app.mediation_sessions is 'Mediation sessions of a dispute (who mediated, when, notes).';
create index mediation_sessions_dispute_idx on app.mediation_sessions (community_id, dispute_id, held_at);
create index mediation_sessions_mediator_idx on app.mediation_sessions (mediator_id, held_at);


-- ---------------------------------------------------------------- who holds a report

-- Grids where the caller is the grid worker.
create function app.my_worker_grid_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(m.grid_id), '{}') from app.memberships m
   where m.profile_id = (select auth.uid()) and m.role = 'grid_worker' and m.grid_id is not null;
$$;

-- Does this grid have a worker? (A report in a grid without one goes to the community.)
create function app.grid_has_worker(p_grid uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.memberships m where m.grid_id = p_grid and m.role = 'grid_worker');
$$;

-- May the caller move the report at its current level?
create function app.holds_report(r app.grid_reports) returns boolean
language sql stable security definer set search_path = '' as $$
  select case r.level
    when 'grid' then r.grid_id = any (app.my_worker_grid_ids())
    when 'community' then app.has_role(r.community_id, '{committee,clerk,admin}')
    else app.has_role(r.community_id, '{admin}') end;
$$;

-- Is the caller the contact of a department called onto the report?
create function app.is_called_department(p_report uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.department_calls dc join app.department_contacts ct on ct.department_id = dc.department_id
                  where dc.report_id = p_report and ct.profile_id = (select auth.uid()));
$$;

-- Who may see a report: its followers, the grid's worker, the community's staff (street admins count),
-- and the contacts of departments called onto it.
create function app.can_see_report(r app.grid_reports) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.report_followers f where f.report_id = r.id and f.profile_id = (select auth.uid()))
      or r.grid_id = any (app.my_worker_grid_ids())
      or app.has_role(r.community_id, '{committee,clerk,supervisor,admin}')
      or app.is_called_department(r.id);
$$;

create function app.level_label(p text) returns text
language sql immutable set search_path = '' as $$
  select case p when 'grid' then '网格' when 'community' then '社区' when 'street' then '街道' end;
$$;

create function app.report_status_label(p text) returns text
language sql immutable set search_path = '' as $$
  select case p when 'reported' then '已上报' when 'accepted' then '已受理' when 'in_progress' then '处置中'
                when 'resolved' then '已办结' when 'confirmed' then '已确认' end;
$$;

-- ---------------------------------------------------------------- RLS: no direct reads; functions decide

alter table app.report_categories enable row level security;
alter table app.public_places enable row level security;
alter table app.departments enable row level security;
alter table app.department_contacts enable row level security;
alter table app.grid_reports enable row level security;
alter table app.report_followers enable row level security;
alter table app.report_steps enable row level security;
alter table app.department_calls enable row level security;
alter table app.household_visits enable row level security;
alter table app.work_logs enable row level security;
alter table app.disputes enable row level security;
alter table app.mediation_sessions enable row level security;

grant select on app.report_categories, app.public_places, app.departments to authenticated;
create policy "Members read their community's categories" on app.report_categories for select to authenticated
  using (community_id = any ((select app.my_community_ids('{resident,committee,clerk,grid_worker,supervisor,admin}'))::uuid[]));
create policy "Members read their community's places" on app.public_places for select to authenticated
  using (community_id = any ((select app.my_community_ids('{resident,committee,clerk,grid_worker,supervisor,admin}'))::uuid[]));
create policy "Signed-in people read departments" on app.departments for select to authenticated using (true);
grant select on app.grid_reports, app.report_followers, app.report_steps, app.department_calls to authenticated;
create policy "Followers read their reports" on app.grid_reports for select to authenticated
  using (exists (select 1 from app.report_followers f where f.report_id = grid_reports.id and f.profile_id = (select auth.uid())));
create policy "Staff read their community's reports" on app.grid_reports for select to authenticated
  using (community_id = any ((select app.my_community_ids('{committee,clerk,supervisor,admin}'))::uuid[]));
create policy "Grid workers read their grids' reports" on app.grid_reports for select to authenticated
  using (grid_id = any ((select app.my_worker_grid_ids())::uuid[]));
create policy "People read their own follows" on app.report_followers for select to authenticated using (profile_id = (select auth.uid()));
create policy "Steps are read with their report" on app.report_steps for select to authenticated
  using (exists (select 1 from app.grid_reports r where r.id = report_steps.report_id));
create policy "Calls are read with their report" on app.department_calls for select to authenticated
  using (exists (select 1 from app.grid_reports r where r.id = department_calls.report_id));
-- department_contacts, household_visits, work_logs, disputes, mediation_sessions: only through functions.
grant all on app.report_categories, app.public_places, app.departments, app.department_contacts, app.grid_reports, app.report_followers,
  app.report_steps, app.department_calls, app.household_visits, app.work_logs, app.disputes, app.mediation_sessions to service_role;

-- ---------------------------------------------------------------- JSON shapes

-- What the caller may do next with the report, decided here so pages never re-implement the ladder.
create function app.report_actions(r app.grid_reports) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := (select auth.uid());
  a text[] := '{}';
  v_holds boolean := app.holds_report(r);
begin
  if v_holds then
    if r.status = 'reported' then a := a || '{accept}'; end if;
    if r.status = 'accepted' then a := a || '{start}'; end if;
    if r.status in ('accepted', 'in_progress') then a := a || '{resolve}'; end if;
    if r.status in ('reported', 'accepted', 'in_progress') and r.level <> 'street' then a := a || '{escalate}'; end if;
    if r.status in ('reported', 'accepted', 'in_progress') and r.level in ('community', 'street') then a := a || '{call_department}'; end if;
  end if;
  if r.status in ('reported', 'accepted', 'in_progress') and exists (
       select 1 from app.department_calls dc join app.department_contacts ct on ct.department_id = dc.department_id
        where dc.report_id = r.id and dc.answered_at is null and ct.profile_id = v_uid) then
    a := a || '{department_report}';
  end if;
  if r.reporter_id = v_uid then
    if r.status = 'resolved' then a := a || '{confirm}'; end if;
    if r.status = 'resolved' and r.resolved_at > now() - interval '7 days' then a := a || '{reopen}'; end if;
    if r.status = 'confirmed' and r.rating is null then a := a || '{rate}'; end if;
  end if;
  return to_jsonb(a);
end
$$;

create function app.report_json(r app.grid_reports, p_full boolean) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'id', r.id, 'communityId', r.community_id, 'category', r.category,
    'categoryName', (select c.name from app.report_categories c where c.community_id = r.community_id and c.code = r.category),
    'description', r.description, 'status', r.status, 'statusLabel', app.report_status_label(r.status),
    'level', r.level, 'levelLabel', app.level_label(r.level),
    'place', case r.place_kind
               when 'household' then (select b.name from app.buildings b where b.id = r.building_id) || '（本户附近）'
               when 'building' then (select b.name from app.buildings b where b.id = r.building_id)
               when 'place' then (select p.name from app.public_places p where p.id = r.place_id)
               when 'point' then coalesce(nullif(r.place_text, ''), '地图上的位置')
               else r.place_text end,
    'placeKind', r.place_kind, 'latitude', r.latitude, 'longitude', r.longitude,
    'gridName', (select g.name from app.grids g where g.id = r.grid_id),
    -- Anonymous to neighbours, never to staff.
    'reporter', case when not r.anonymous or app.has_role(r.community_id, '{committee,clerk,grid_worker,supervisor,admin}') or r.reporter_id = (select auth.uid())
                     then app.masked_name_of(r.reporter_id) else '匿名居民' end,
    'mine', r.reporter_id = (select auth.uid()),
    'following', exists (select 1 from app.report_followers f where f.report_id = r.id and f.profile_id = (select auth.uid())),
    'followers', (select count(*) from app.report_followers f where f.report_id = r.id),
    'acceptDue', r.accept_due, 'solveDue', r.solve_due,
    'overdue', (r.status = 'reported' and r.accept_due < now()) or (r.status in ('accepted', 'in_progress') and r.solve_due < now()),
    'createdAt', r.created_at, 'updatedAt', r.updated_at, 'resolvedAt', r.resolved_at, 'reopenCount', r.reopen_count,
    'rating', r.rating, 'ratingComment', r.rating_comment,
    'actions', app.report_actions(r))
  || case when p_full then jsonb_build_object(
    'steps', (select coalesce(jsonb_agg(jsonb_build_object('action', s.action, 'at', s.at,
                 'actor', case when s.actor_id is null then '系统' when s.actor_id = r.reporter_id and r.anonymous
                                and not app.has_role(r.community_id, '{committee,clerk,grid_worker,supervisor,admin}') and r.reporter_id <> (select auth.uid())
                               then '匿名居民' else app.masked_name_of(s.actor_id) end,
                 'fromStatus', s.from_status, 'toStatus', s.to_status, 'toStatusLabel', app.report_status_label(s.to_status),
                 'fromLevel', s.from_level, 'toLevel', s.to_level, 'note', s.note, 'onTime', s.on_time,
                 'department', (select d.name from app.departments d where d.id = s.department_id)) order by s.at, s.id), '[]'::jsonb)
                from (select * from app.report_steps x where x.report_id = r.id order by x.at, x.id limit 200) s),
    'departmentCalls', (select coalesce(jsonb_agg(jsonb_build_object('id', dc.id, 'department', d.name, 'calledAt', dc.called_at, 'dueAt', dc.due_at,
                          'answeredAt', dc.answered_at, 'answer', dc.answer, 'overdue', dc.answered_at is null and dc.due_at < now())
                          order by dc.called_at), '[]'::jsonb)
                          from app.department_calls dc join app.departments d on d.id = dc.department_id where dc.report_id = r.id),
    -- Photos added by whoever handled it (not the reporter) are the "after" photos.
    'afterPhotoIds', (select coalesce(jsonb_agg(f.id order by f.attached_at), '[]'::jsonb) from app.files f
                       where f.entity = 'grid_report' and f.entity_id = r.id and f.owner_id <> r.reporter_id))
  else '{}'::jsonb end;
$$;

-- ---------------------------------------------------------------- reporting

create function app.record_report_step(r app.grid_reports, p_action text, p_from_status text, p_from_level text, p_note text,
                                       p_due timestamptz default null, p_department uuid default null) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare
  f record;
  v_title text := (select c.name from app.report_categories c where c.community_id = r.community_id and c.code = r.category);
begin
  insert into app.report_steps (report_id, community_id, actor_id, action, from_status, to_status, from_level, to_level, due_at, on_time,
                                note, department_id)
  values (r.id, r.community_id, (select auth.uid()), p_action, p_from_status, r.status, p_from_level, r.level, p_due,
          case when p_due is null then null else now() <= p_due end, coalesce(p_note, ''), p_department);
  -- Everyone who follows the report hears of it (not the one who did it).
  for f in select x.profile_id from app.report_followers x where x.report_id = r.id and x.profile_id is distinct from (select auth.uid()) loop
    perform app.notify(f.profile_id, '随手拍：' || v_title || ' ' || app.report_status_label(r.status) ||
                       case when r.level <> coalesce(p_from_level, r.level) then '（转' || app.level_label(r.level) || '）' else '' end,
                       coalesce(p_note, ''), 'packages/grid/report/index?id=' || r.id);
    with spent as (
      update app.message_subscriptions ms set credits = ms.credits - 1, updated_at = now()
       where ms.profile_id = f.profile_id and ms.community_id = r.community_id and ms.topic = 'grid' and ms.credits > 0
      returning ms.profile_id)
    insert into app.outbox (kind, profile_id, dedupe_key, payload)
    select 'wechat_subscribe', spent.profile_id, 'report:' || r.id || ':' || p_action || ':' || (select count(*) from app.report_steps s where s.report_id = r.id),
           jsonb_build_object('template', 'report', 'page', 'packages/grid/report/index?id=' || r.id,
                              'title', v_title || ' ' || app.report_status_label(r.status),
                              'community', (select c.name from app.communities c where c.id = r.community_id),
                              'category', 'report', 'publishedAt', now())
      from spent on conflict (dedupe_key) do nothing;
  end loop;
  perform app.audit(r.community_id, 'report.' || p_action, 'grid_report', r.id::text,
                    jsonb_build_object('from', p_from_status, 'to', r.status, 'level', r.level, 'note', p_note), r.reporter_id);
end
$$;

-- Staff of the level a report has just reached hear of it.
create function app.notify_level(r app.grid_reports, p_title text) returns void
language plpgsql volatile security definer set search_path = '' as $$
declare p record;
begin
  for p in
    select distinct m.profile_id from app.memberships m
     where r.level = 'grid' and m.grid_id = r.grid_id and m.role = 'grid_worker'
    union
    select distinct m.profile_id from app.memberships m
     where r.level = 'community' and m.community_id = r.community_id and m.role in ('committee', 'clerk')
    union
    select sa.profile_id from app.street_admins sa join app.communities c on c.street_id = sa.street_id
     where r.level = 'street' and c.id = r.community_id
  loop
    perform app.notify(p.profile_id, p_title, left(r.description, 60), 'packages/grid/report/index?id=' || r.id);
  end loop;
end
$$;

create function public.create_report(p_community_id uuid, p_category text, p_description text, p_place_kind text, p_building_id uuid,
                                     p_place_id uuid, p_latitude numeric, p_longitude numeric, p_place_text text, p_anonymous boolean,
                                     p_file_ids uuid[], p_idempotency_key text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  r app.grid_reports;
  c app.report_categories;
  v_grid uuid;
  v_building uuid := p_building_id;
begin
  select * into r from app.grid_reports where reporter_id = v_uid and idempotency_key = p_idempotency_key;
  if r.id is not null then
    return app.report_json(r, true);
  end if;
  if not app.is_member(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  select * into c from app.report_categories where community_id = p_community_id and code = p_category;
  if c.code is null then
    perform app.fail('grid.category_not_found', 'field:category');
  end if;
  -- The place decides the grid: my household's building, a building, a public place; a point or a text
  -- description goes to my own grid (the worker moves it if needed).
  if p_place_kind = 'household' then
    select h.building_id into v_building from app.memberships m join app.households h on h.id = m.household_id
     where m.profile_id = v_uid and m.community_id = p_community_id and m.role = 'resident' limit 1;
    if v_building is null then
      perform app.fail('grid.place_required', 'field:placeKind');
    end if;
  end if;
  if p_place_kind in ('household', 'building') then
    select b.grid_id into v_grid from app.buildings b where b.id = v_building and b.community_id = p_community_id;
  elsif p_place_kind = 'place' then
    select p.grid_id into v_grid from app.public_places p where p.id = p_place_id and p.community_id = p_community_id;
  elsif p_place_kind in ('point', 'text') then
    select b.grid_id into v_grid from app.memberships m join app.households h on h.id = m.household_id join app.buildings b on b.id = h.building_id
     where m.profile_id = v_uid and m.community_id = p_community_id and m.role = 'resident' limit 1;
    if v_grid is null then
      select g.id into v_grid from app.grids g where g.community_id = p_community_id order by g.name limit 1;
    end if;
  end if;
  if v_grid is null then
    perform app.fail('grid.place_required', 'field:placeKind');
  end if;
  insert into app.grid_reports (community_id, grid_id, category, description, place_kind, building_id, place_id, latitude, longitude,
                                place_text, anonymous, reporter_id, level, accept_due, idempotency_key)
  values (p_community_id, v_grid, p_category, btrim(p_description), p_place_kind,
          case when p_place_kind in ('household', 'building') then v_building end,
          case when p_place_kind = 'place' then p_place_id end,
          case when p_place_kind = 'point' then p_latitude end, case when p_place_kind = 'point' then p_longitude end,
          coalesce(btrim(p_place_text), ''), coalesce(p_anonymous, false), v_uid,
          case when app.grid_has_worker(v_grid) then 'grid' else 'community' end,
          now() + make_interval(hours => c.accept_hours), p_idempotency_key)
  returning * into r;
  insert into app.report_followers (report_id, community_id, profile_id) values (r.id, r.community_id, v_uid);
  if coalesce(cardinality(p_file_ids), 0) > 0 then
    perform public.attach_files('grid_report', r.id, p_file_ids);
  end if;
  perform app.record_report_step(r, 'report', null, null, null);
  perform app.notify_level(r, '新的随手拍：' || c.name);
  return app.report_json(r, true);
exception
  when unique_violation then
    select * into r from app.grid_reports where reporter_id = v_uid and idempotency_key = p_idempotency_key;
    return app.report_json(r, true);
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Open reports of the same category at the same place within a day: "同一件事？"
create function public.find_similar_reports(p_community_id uuid, p_category text, p_building_id uuid default null, p_place_id uuid default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare v_building uuid := p_building_id;
begin
  perform app.require_uid();
  if not app.is_member(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  return (select coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'categoryName', c.name, 'description', left(r.description, 60),
            'statusLabel', app.report_status_label(r.status), 'createdAt', r.created_at,
            'followers', (select count(*) from app.report_followers f where f.report_id = r.id)) order by r.created_at desc), '[]'::jsonb)
            from (select * from app.grid_reports x
                   where x.community_id = p_community_id and x.category = p_category and x.status in ('reported', 'accepted', 'in_progress')
                     and x.created_at > now() - interval '1 day'
                     and ((v_building is not null and x.building_id = v_building) or (p_place_id is not null and x.place_id = p_place_id))
                   order by x.created_at desc limit 5) r
            join app.report_categories c on c.community_id = r.community_id and c.code = r.category);
end
$$;

create function public.join_report(p_report_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  r app.grid_reports;
  v_new boolean;
begin
  select * into r from app.grid_reports where id = p_report_id;
  -- Joinable by whoever could have been offered it as "同一件事": a member of the community, while it is
  -- open and at most a day old; one at someone's household only by a neighbour of the same building.
  if r.id is null or not app.is_member(r.community_id) or r.status not in ('reported', 'accepted', 'in_progress')
     or (not app.can_see_report(r)
         and (r.created_at < now() - interval '1 day'
              or (r.place_kind = 'household' and not exists (
                    select 1 from app.memberships m join app.households h on h.id = m.household_id
                     where m.profile_id = v_uid and m.community_id = r.community_id and m.role = 'resident' and h.building_id = r.building_id)))) then
    perform app.fail('grid.report_not_found');
  end if;
  insert into app.report_followers (report_id, community_id, profile_id) values (r.id, r.community_id, v_uid)
  on conflict do nothing returning true into v_new;
  if v_new then
    perform app.record_report_step(r, 'join', r.status, r.level, null);
  end if;
  return app.report_json(r, true);
end
$$;

create function public.get_report(p_report_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare r app.grid_reports;
begin
  perform app.require_uid();
  select * into r from app.grid_reports where id = p_report_id;
  if r.id is null or not app.can_see_report(r) then
    perform app.fail('grid.report_not_found');
  end if;
  return app.report_json(r, true);
end
$$;

-- ---------------------------------------------------------------- the ladder

create function public.report_step(p_report_id uuid, p_action text, p_note text default '', p_department_id uuid default null,
                                   p_rating integer default null, p_file_ids uuid[] default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  r app.grid_reports;
  c app.report_categories;
  v_from_status text;
  v_from_level text;
  v_due timestamptz;
  v_note text := btrim(coalesce(p_note, ''));
  v_call app.department_calls;
begin
  select * into r from app.grid_reports where id = p_report_id for update;
  if r.id is null or not app.can_see_report(r) then
    perform app.fail('grid.report_not_found');
  end if;
  select * into c from app.report_categories where community_id = r.community_id and code = r.category;
  v_from_status := r.status;
  v_from_level := r.level;
  if p_action not in (select jsonb_array_elements_text(app.report_actions(r))) then
    -- Not this person's move now: a wrong role, level or state says which.
    if p_action in ('accept', 'start', 'resolve', 'escalate', 'call_department') and not app.holds_report(r) then
      perform app.fail('grid.not_your_level');
    elsif p_action in ('confirm', 'reopen', 'rate') and r.reporter_id <> v_uid then
      perform app.fail('grid.reporter_only');
    elsif p_action = 'reopen' and r.status = 'resolved' then
      perform app.fail('grid.reopen_closed');
    elsif p_action = 'department_report' then
      perform app.fail('grid.not_called');
    elsif p_action not in ('accept', 'start', 'resolve', 'escalate', 'call_department', 'department_report', 'confirm', 'reopen', 'rate') then
      perform app.fail('core.invalid_input', 'field:action');
    end if;
    perform app.fail('grid.invalid_transition');
  end if;

  if p_action = 'accept' then
    v_due := r.accept_due;
    update app.grid_reports set status = 'accepted', solve_due = now() + make_interval(hours => c.solve_hours), updated_at = now()
     where id = r.id returning * into r;
  elsif p_action = 'start' then
    update app.grid_reports set status = 'in_progress', updated_at = now() where id = r.id returning * into r;
  elsif p_action = 'resolve' then
    if char_length(v_note) < 2 then
      perform app.fail('grid.note_required', 'field:note');
    end if;
    if exists (select 1 from app.department_calls dc where dc.report_id = r.id and dc.answered_at is null) then
      perform app.fail('grid.department_pending');
    end if;
    -- An after-photo: sent with this step, or attached since the last (re)opening by whoever handled it
    -- (a department answering 报到 with a photo counts).
    if c.needs_after_photo and coalesce(cardinality(p_file_ids), 0) = 0 and not exists (
         select 1 from app.files f
          where f.entity = 'grid_report' and f.entity_id = r.id and f.kind = 'photo' and f.owner_id <> r.reporter_id
            and f.attached_at > coalesce((select max(s.at) from app.report_steps s where s.report_id = r.id and s.action in ('reopen', 'review')),
                                         r.created_at)) then
      perform app.fail('grid.photo_required', 'field:fileIds');
    end if;
    if coalesce(cardinality(p_file_ids), 0) > 0 then
      perform public.attach_files('grid_report', r.id, p_file_ids);
    end if;
    v_due := r.solve_due;
    update app.grid_reports set status = 'resolved', resolved_at = now(), updated_at = now() where id = r.id returning * into r;
  elsif p_action = 'escalate' then
    if char_length(v_note) < 2 then
      perform app.fail('grid.note_required', 'field:note');
    end if;
    update app.grid_reports set level = case level when 'grid' then 'community' else 'street' end, status = 'reported',
                                accept_due = now() + make_interval(hours => c.accept_hours), solve_due = null, updated_at = now()
     where id = r.id returning * into r;
    perform app.notify_level(r, '上报到' || app.level_label(r.level) || '的随手拍：' || c.name);
  elsif p_action = 'call_department' then
    if p_department_id is null or not exists (select 1 from app.departments d join app.communities cm on cm.street_id = d.street_id
                                               where d.id = p_department_id and cm.id = r.community_id) then
      perform app.fail('grid.department_not_found', 'field:departmentId');
    end if;
    insert into app.department_calls (report_id, community_id, department_id, called_by, due_at)
    values (r.id, r.community_id, p_department_id, v_uid, now() + interval '24 hours')
    on conflict (report_id, department_id) do nothing;
    update app.grid_reports set updated_at = now() where id = r.id returning * into r;
    for v_call in select * from app.department_calls where report_id = r.id and department_id = p_department_id loop
      perform app.notify(ct.profile_id, '吹哨报到：请到场处理随手拍', left(r.description, 60), 'packages/grid/report/index?id=' || r.id)
         from app.department_contacts ct where ct.department_id = p_department_id;
    end loop;
  elsif p_action = 'department_report' then
    if char_length(v_note) < 2 then
      perform app.fail('grid.note_required', 'field:note');
    end if;
    update app.department_calls dc set answered_by = v_uid, answered_at = now(), answer = v_note
     where dc.report_id = r.id and dc.answered_at is null
       and dc.department_id in (select ct.department_id from app.department_contacts ct where ct.profile_id = v_uid)
    returning * into v_call;
    if coalesce(cardinality(p_file_ids), 0) > 0 then
      perform public.attach_files('grid_report', r.id, p_file_ids);
    end if;
    v_due := v_call.due_at;
    update app.grid_reports set updated_at = now() where id = r.id returning * into r;
    perform app.record_report_step(r, p_action, v_from_status, v_from_level, v_note, v_due, v_call.department_id);
    return app.report_json(r, true);
  elsif p_action = 'confirm' then
    update app.grid_reports set status = 'confirmed', updated_at = now() where id = r.id returning * into r;
  elsif p_action = 'reopen' then
    if char_length(v_note) < 2 then
      perform app.fail('grid.note_required', 'field:note');
    end if;
    update app.grid_reports set status = 'in_progress', resolved_at = null, reopen_count = reopen_count + 1,
                                solve_due = now() + make_interval(hours => c.solve_hours), updated_at = now()
     where id = r.id returning * into r;
  elsif p_action = 'rate' then
    if p_rating is null or p_rating not between 1 and 5 then
      perform app.fail('grid.rating_invalid', 'field:rating');
    end if;
    update app.grid_reports set rating = p_rating, rating_comment = nullif(v_note, ''), updated_at = now() where id = r.id returning * into r;
    perform app.record_report_step(r, 'rate', v_from_status, v_from_level, v_note);
    -- 1–2 stars: back to the community for review, as a poor rating does in the service hall.
    if p_rating <= 2 then
      v_from_status := r.status;
      v_from_level := r.level;
      update app.grid_reports set status = 'in_progress', resolved_at = null, reopen_count = reopen_count + 1,
                                  level = case when level = 'grid' then 'community' else level end,
                                  solve_due = now() + make_interval(hours => c.solve_hours), updated_at = now()
       where id = r.id returning * into r;
      perform app.record_report_step(r, 'review', v_from_status, v_from_level, '评价 ' || p_rating || ' 星，社区复核');
      perform app.notify_level(r, '差评复核：' || c.name);
    end if;
    return app.report_json(r, true);
  end if;
  perform app.record_report_step(r, p_action, v_from_status, v_from_level, v_note, v_due,
                                 case when p_action = 'call_department' then p_department_id end);
  return app.report_json(r, true);
end
$$;

-- Reports past a time limit climb one level by themselves, each once per overdue step, whoever else runs
-- this at the same time (the rows are locked and skipped, and the new level gets new deadlines).
create function public.escalate_overdue_reports(p_limit integer default 200) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  r app.grid_reports;
  c app.report_categories;
  v_from_status text;
  v_from_level text;
  v_due timestamptz;
  v_count integer := 0;
begin
  for r in
    select * from app.grid_reports x
     where x.id in (select y.id from app.grid_reports y where y.status = 'reported' and y.level <> 'street' and y.accept_due < now()
                    union all
                    select y.id from app.grid_reports y where y.status in ('accepted', 'in_progress') and y.level <> 'street' and y.solve_due < now())
       -- Checked again on the locked row: another run may have moved it since this one looked.
       and x.level <> 'street'
       and ((x.status = 'reported' and x.accept_due < now()) or (x.status in ('accepted', 'in_progress') and x.solve_due < now()))
     limit least(greatest(p_limit, 1), 1000)
     for update skip locked
  loop
    select * into c from app.report_categories where community_id = r.community_id and code = r.category;
    v_from_status := r.status;
    v_from_level := r.level;
    v_due := case when r.status = 'reported' then r.accept_due else r.solve_due end;
    update app.grid_reports set level = case level when 'grid' then 'community' else 'street' end, status = 'reported',
                                accept_due = now() + make_interval(hours => c.accept_hours), solve_due = null, updated_at = now()
     where id = r.id returning * into r;
    perform app.record_report_step(r, 'auto_escalate', v_from_status, v_from_level,
                                   case when v_from_status = 'reported' then '超过受理时限' else '超过办结时限' end || '，自动转' || app.level_label(r.level),
                                   v_due);
    perform app.notify_level(r, '超时转来的随手拍：' || c.name);
    v_count := v_count + 1;
  end loop;
  return jsonb_build_object('escalated', v_count);
end
$$;

-- ---------------------------------------------------------------- lists

-- My reports and the ones I joined, newest first.
create function public.list_my_reports(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', app.report_json(r, false), 'c', app.encode_cursor(array[x.joined_at::text, r.id::text]))
                   order by x.joined_at desc, r.id desc)
    into v_rows
    from (select f.report_id, f.joined_at from app.report_followers f
           where f.profile_id = v_uid and (f.joined_at, f.report_id) < (cur[1]::timestamptz, cur[2]::uuid)
           order by f.joined_at desc, f.report_id desc limit v_limit + 1) x
    join app.grid_reports r on r.id = x.report_id;
  return app.page(v_rows, v_limit);
end
$$;

-- A level's open reports, the most urgent deadline first (overdue ones lead): my grids' (grid workers),
-- the community's (committee, clerks), the street's (street admins).
create function public.list_report_queue(p_community_id uuid, p_scope text, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
  v_grids uuid[] := app.my_worker_grid_ids();
  v_rows jsonb;
begin
  perform app.require_uid();
  if p_scope = 'grid' then
    if cardinality(v_grids) = 0 then perform app.fail('core.forbidden'); end if;
  elsif p_scope = 'community' then
    if not app.has_role(p_community_id, '{committee,clerk,supervisor,admin}') then perform app.fail('core.forbidden'); end if;
  elsif p_scope = 'street' then
    if not app.has_role(p_community_id, '{admin}') then perform app.fail('core.forbidden'); end if;
  else
    perform app.fail('core.invalid_input', 'field:scope');
  end if;
  select jsonb_agg(jsonb_build_object('i', app.report_json(q.x, false), 'c', app.encode_cursor(array[q.due::text, (q.x).id::text])) order by q.due, (q.x).id)
    into v_rows
    from (select x, coalesce(x.solve_due, x.accept_due) as due from app.grid_reports x
           where x.community_id = p_community_id and x.status in ('reported', 'accepted', 'in_progress')
             and x.level = case p_scope when 'grid' then 'grid' when 'community' then 'community' else 'street' end
             and (p_scope <> 'grid' or x.grid_id = any (v_grids))
             and (coalesce(x.solve_due, x.accept_due), x.id) > (cur[1]::timestamptz, cur[2]::uuid)
           order by coalesce(x.solve_due, x.accept_due), x.id limit v_limit + 1) q;
  return app.page(v_rows, v_limit);
end
$$;

create function public.list_report_categories(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object('code', c.code, 'name', c.name, 'acceptHours', c.accept_hours,
           'solveHours', c.solve_hours, 'needsAfterPhoto', c.needs_after_photo, 'emergency', c.emergency) order by c.sort, c.code), '[]'::jsonb),
           'nextCursor', null)
    from (select * from app.report_categories x where x.community_id = p_community_id order by x.sort, x.code limit 50) c;
$$;

create function public.list_public_places(p_community_id uuid, p_limit integer default 100, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', p.id, 'name', p.name, 'gridId', p.grid_id),
           'c', app.encode_cursor(array[p.name, p.id::text])) order by p.name, p.id)
    into v_rows
    from (select * from app.public_places x where x.community_id = p_community_id and (x.name, x.id) > (cur[1], cur[2]::uuid)
           order by x.name, x.id limit v_limit + 1) p;
  return app.page(v_rows, v_limit);
end
$$;

-- The departments a report can call in: those of the community's street.
create function public.list_departments(p_community_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee,clerk,grid_worker,admin}') then
    perform app.fail('core.forbidden');
  end if;
  return (select jsonb_build_object('items', coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'name', d.name, 'phone', d.phone) order by d.name), '[]'::jsonb),
                                    'nextCursor', null)
            from (select d0.* from app.departments d0 join app.communities c on c.street_id = d0.street_id
                   where c.id = p_community_id order by d0.name limit 100) d);
end
$$;

-- A department contact's calls: unanswered first, oldest call first.
create function public.list_my_department_calls(p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 3), array['-1', '-infinity', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', x.id, 'reportId', x.report_id, 'department', d.name, 'calledAt', x.called_at,
           'dueAt', x.due_at, 'answeredAt', x.answered_at, 'answer', x.answer, 'report', app.report_json(r, false)),
           'c', app.encode_cursor(array[x.rank::text, x.called_at::text, x.id::text])) order by x.rank, x.called_at, x.id)
    into v_rows
    from (select dc.*, case when dc.answered_at is null then 0 else 1 end as rank
            from app.department_calls dc join app.department_contacts ct on ct.department_id = dc.department_id
           where ct.profile_id = v_uid
             and (case when dc.answered_at is null then 0 else 1 end, dc.called_at, dc.id) > (cur[1]::integer, cur[2]::timestamptz, cur[3]::uuid)
           order by case when dc.answered_at is null then 0 else 1 end, dc.called_at, dc.id limit v_limit + 1) x
    join app.departments d on d.id = x.department_id
    join app.grid_reports r on r.id = x.report_id;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- the grid worker's day: visits, log, disputes

create function app.is_worker_of_grid(p_grid uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select p_grid = any (app.my_worker_grid_ids());
$$;

-- 走访: the worker of the household's grid records a visit.
create function public.record_visit(p_household_id uuid, p_met text, p_topics text[], p_note text, p_follow_up text default null,
                                    p_follow_up_due date default null, p_dispute_id uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  h record;
  v app.household_visits;
begin
  perform app.require_uid();
  select hh.id, hh.community_id, b.grid_id, b.name || ' ' || hh.room as address into h
    from app.households hh join app.buildings b on b.id = hh.building_id where hh.id = p_household_id;
  if h.id is null or not app.is_member(h.community_id) then
    perform app.fail('grid.household_not_found');
  end if;
  if not app.is_worker_of_grid(h.grid_id) then
    perform app.fail('grid.not_your_grid');
  end if;
  if (p_follow_up is null) <> (p_follow_up_due is null) then
    perform app.fail('grid.follow_up_needs_date', 'field:followUpDue');
  end if;
  if p_follow_up_due is not null and p_follow_up_due < app.today() then
    perform app.fail('grid.follow_up_in_past', 'field:followUpDue');
  end if;
  if p_dispute_id is not null and not exists (select 1 from app.disputes d where d.id = p_dispute_id and d.community_id = h.community_id) then
    perform app.fail('grid.dispute_not_found');
  end if;
  insert into app.household_visits (community_id, grid_id, household_id, visited_by, met, topics, note, follow_up, follow_up_due, dispute_id)
  values (h.community_id, h.grid_id, h.id, (select auth.uid()), btrim(p_met), coalesce(p_topics, '{}'), coalesce(btrim(p_note), ''),
          nullif(btrim(p_follow_up), ''), p_follow_up_due, p_dispute_id)
  returning * into v;
  perform app.audit(h.community_id, 'visit.record', 'household', h.id::text, jsonb_build_object('topics', p_topics));
  return jsonb_build_object('id', v.id, 'householdId', v.household_id, 'address', h.address, 'visitedAt', v.visited_at, 'met', v.met,
                            'topics', to_jsonb(v.topics), 'note', v.note, 'followUp', v.follow_up, 'followUpDue', v.follow_up_due);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.complete_follow_up(p_visit_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v app.household_visits;
begin
  perform app.require_uid();
  select * into v from app.household_visits where id = p_visit_id;
  if v.id is null or not app.is_worker_of_grid(v.grid_id) then
    perform app.fail('grid.visit_not_found');
  end if;
  update app.household_visits set follow_up_done_at = coalesce(follow_up_done_at, now()) where id = v.id and follow_up is not null returning * into v;
  perform app.audit(v.community_id, 'visit.follow_up_done', 'household_visit', p_visit_id::text);
  return jsonb_build_object('id', p_visit_id, 'followUpDoneAt', v.follow_up_done_at);
end
$$;

-- Visits in the caller's grids (a worker) or the community's (committee), newest first.
create function public.list_visits(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_all boolean := app.is_committee(p_community_id);
  v_grids uuid[] := app.my_worker_grid_ids();
  v_rows jsonb;
begin
  perform app.require_uid();
  if not v_all and cardinality(v_grids) = 0 then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', v.id, 'householdId', v.household_id,
           'address', (select b.name || ' ' || h.room from app.households h join app.buildings b on b.id = h.building_id where h.id = v.household_id),
           'visitedAt', v.visited_at, 'visitedBy', app.masked_name_of(v.visited_by), 'met', v.met, 'topics', to_jsonb(v.topics), 'note', v.note,
           'followUp', v.follow_up, 'followUpDue', v.follow_up_due, 'followUpDoneAt', v.follow_up_done_at),
           'c', app.encode_cursor(array[v.visited_at::text, v.id::text])) order by v.visited_at desc, v.id desc)
    into v_rows
    from (select * from app.household_visits x
           where x.community_id = p_community_id and (v_all or x.grid_id = any (v_grids))
             and (x.visited_at, x.id) < (cur[1]::timestamptz, cur[2]::uuid)
           order by x.visited_at desc, x.id desc limit v_limit + 1) v;
  return app.page(v_rows, v_limit);
end
$$;

-- Households of my grids (with residents) not visited since the start of this quarter (Asia/Shanghai).
create function public.list_unvisited_households(p_community_id uuid, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_grids uuid[] := app.my_worker_grid_ids();
  v_since timestamptz := (date_trunc('quarter', now() at time zone 'Asia/Shanghai')) at time zone 'Asia/Shanghai';
  v_rows jsonb;
begin
  perform app.require_uid();
  if cardinality(v_grids) = 0 then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('householdId', x.id, 'address', x.address, 'gridName', x.grid_name,
           'lastVisitedAt', (select max(v.visited_at) from app.household_visits v where v.household_id = x.id),
           'residents', (select jsonb_agg(app.mask_name(coalesce(p.real_name, p.display_name))) from app.memberships m join app.profiles p on p.id = m.profile_id
                          where m.household_id = x.id and m.role = 'resident')),
           'c', app.encode_cursor(array[x.address, x.id::text])) order by x.address, x.id)
    into v_rows
    from (select h.id, b.name || ' ' || h.room as address, g.name as grid_name
            from app.households h join app.buildings b on b.id = h.building_id join app.grids g on g.id = b.grid_id
           where h.community_id = p_community_id and b.grid_id = any (v_grids)
             and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')
             and not exists (select 1 from app.household_visits v where v.household_id = h.id and v.visited_at >= v_since)
             and (b.name || ' ' || h.room, h.id) > (cur[1], cur[2]::uuid)
           order by b.name || ' ' || h.room, h.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

-- 民情日志
create function public.write_work_log(p_grid_id uuid, p_day date, p_body text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare l app.work_logs;
begin
  perform app.require_uid();
  if not app.is_worker_of_grid(p_grid_id) then
    perform app.fail('grid.not_your_grid');
  end if;
  if p_day is null or p_day > app.today() or p_day < app.today() - 31 then
    perform app.fail('grid.log_day_invalid', 'field:day');
  end if;
  insert into app.work_logs (community_id, grid_id, author_id, day, body)
  select g.community_id, g.id, (select auth.uid()), p_day, btrim(p_body) from app.grids g where g.id = p_grid_id
  returning * into l;
  perform app.audit(l.community_id, 'work_log.write', 'work_log', l.id::text);
  return jsonb_build_object('id', l.id, 'day', l.day, 'body', l.body, 'createdAt', l.created_at);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.list_work_logs(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_all boolean := app.is_committee(p_community_id);
  v_rows jsonb;
begin
  if not v_all and cardinality(app.my_worker_grid_ids()) = 0 then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', l.id, 'day', l.day, 'body', l.body, 'author', app.masked_name_of(l.author_id),
           'gridName', (select g.name from app.grids g where g.id = l.grid_id), 'createdAt', l.created_at),
           'c', app.encode_cursor(array[l.day::text, l.id::text])) order by l.day desc, l.id desc)
    into v_rows
    from (select * from app.work_logs x
           where x.community_id = p_community_id and (v_all or x.author_id = v_uid) and (x.day, x.id) < (cur[1]::date, cur[2]::uuid)
           order by x.day desc, x.id desc limit v_limit + 1) l;
  return app.page(v_rows, v_limit);
end
$$;

-- Mediators: the worker of the dispute's grid, and the community's committee.
create function app.can_mediate(d app.disputes) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.is_worker_of_grid(d.grid_id) or app.is_committee(d.community_id);
$$;

create function app.dispute_json(d app.disputes) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('id', d.id, 'title', d.title, 'details', d.details, 'status', d.status, 'agreement', d.agreement,
    'referredTo', d.referred_to, 'reportId', d.report_id, 'createdAt', d.created_at, 'concludedAt', d.concluded_at,
    'gridName', (select g.name from app.grids g where g.id = d.grid_id),
    'parties', (select coalesce(jsonb_agg(jsonb_build_object('householdId', h.id, 'address', b.name || ' ' || h.room)), '[]'::jsonb)
                  from app.households h join app.buildings b on b.id = h.building_id where h.id = any (d.party_household_ids)),
    'sessions', (select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'heldAt', s.held_at, 'mediator', app.masked_name_of(s.mediator_id),
                   'notes', s.notes) order by s.held_at), '[]'::jsonb)
                   from (select * from app.mediation_sessions x where x.dispute_id = d.id order by x.held_at limit 100) s));
$$;

create function public.open_dispute(p_grid_id uuid, p_title text, p_details text, p_party_household_ids uuid[], p_report_id uuid default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  d app.disputes;
  v_community uuid := (select g.community_id from app.grids g where g.id = p_grid_id);
begin
  perform app.require_uid();
  if v_community is null or not (app.is_worker_of_grid(p_grid_id) or app.is_committee(v_community)) then
    perform app.fail('core.forbidden');
  end if;
  if coalesce(cardinality(p_party_household_ids), 0) = 0
     or exists (select 1 from unnest(p_party_household_ids) x where not exists (select 1 from app.households h where h.id = x and h.community_id = v_community)) then
    perform app.fail('grid.household_not_found', 'field:partyHouseholdIds');
  end if;
  if p_report_id is not null and not exists (select 1 from app.grid_reports r where r.id = p_report_id and r.community_id = v_community) then
    perform app.fail('grid.report_not_found');
  end if;
  insert into app.disputes (community_id, grid_id, title, details, party_household_ids, report_id, created_by)
  values (v_community, p_grid_id, btrim(p_title), btrim(p_details), p_party_household_ids, p_report_id, (select auth.uid()))
  returning * into d;
  perform app.audit(v_community, 'dispute.open', 'dispute', d.id::text);
  return app.dispute_json(d);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.get_dispute(p_dispute_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare d app.disputes;
begin
  perform app.require_uid();
  select * into d from app.disputes where id = p_dispute_id;
  if d.id is null or not app.can_mediate(d) then
    perform app.fail('grid.dispute_not_found');
  end if;
  return app.dispute_json(d);
end
$$;

create function public.record_mediation(p_dispute_id uuid, p_notes text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare d app.disputes;
begin
  perform app.require_uid();
  select * into d from app.disputes where id = p_dispute_id for update;
  if d.id is null or not app.can_mediate(d) then
    perform app.fail('grid.dispute_not_found');
  end if;
  if d.status <> 'open' then
    perform app.fail('grid.dispute_closed');
  end if;
  insert into app.mediation_sessions (dispute_id, community_id, mediator_id, notes) values (d.id, d.community_id, (select auth.uid()), btrim(p_notes));
  perform app.audit(d.community_id, 'dispute.mediate', 'dispute', d.id::text);
  return app.dispute_json(d);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- The outcome: an agreement reached, referred onward (to 司法所, 派出所…), or closed.
create function public.conclude_dispute(p_dispute_id uuid, p_status text, p_agreement text default null, p_referred_to text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare d app.disputes;
begin
  perform app.require_uid();
  select * into d from app.disputes where id = p_dispute_id for update;
  if d.id is null or not app.can_mediate(d) then
    perform app.fail('grid.dispute_not_found');
  end if;
  if d.status <> 'open' then
    perform app.fail('grid.dispute_closed');
  end if;
  if p_status not in ('agreed', 'referred', 'closed') then
    perform app.fail('core.invalid_input', 'field:status');
  end if;
  if not exists (select 1 from app.mediation_sessions s where s.dispute_id = d.id) and p_status = 'agreed' then
    perform app.fail('grid.mediation_required');
  end if;
  update app.disputes set status = p_status, agreement = nullif(btrim(p_agreement), ''), referred_to = nullif(btrim(p_referred_to), ''),
                          concluded_at = now()
   where id = d.id returning * into d;
  perform app.audit(d.community_id, 'dispute.' || p_status, 'dispute', d.id::text);
  return app.dispute_json(d);
exception
  when check_violation then
    perform app.fail('grid.outcome_required');
end
$$;

-- Disputes a mediator may see: the worker's grids, the committee's whole community.
create function public.list_disputes(p_community_id uuid, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff']);
  v_all boolean := app.is_committee(p_community_id);
  v_grids uuid[] := app.my_worker_grid_ids();
  v_rows jsonb;
begin
  perform app.require_uid();
  if not v_all and cardinality(v_grids) = 0 then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', d.id, 'title', d.title, 'status', d.status, 'createdAt', d.created_at,
           'gridName', (select g.name from app.grids g where g.id = d.grid_id),
           'sessions', (select count(*) from app.mediation_sessions s where s.dispute_id = d.id)),
           'c', app.encode_cursor(array[d.created_at::text, d.id::text])) order by d.created_at desc, d.id desc)
    into v_rows
    from (select * from app.disputes x
           where x.community_id = p_community_id and (v_all or x.grid_id = any (v_grids)) and (x.created_at, x.id) < (cur[1]::timestamptz, cur[2]::uuid)
           order by x.created_at desc, x.id desc limit v_limit + 1) d;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- 考核 figures, counted from the records

-- One worker's month: never typed in, always recounted from steps, visits and mediations.
create function app.grid_figures(p_worker uuid, p_community uuid, p_month date) returns jsonb
language sql stable security definer set search_path = '' as $$
  with bounds as (
    select (p_month::timestamp at time zone 'Asia/Shanghai') as t0, ((p_month + interval '1 month')::timestamp at time zone 'Asia/Shanghai') as t1),
  grids as (select m.grid_id from app.memberships m where m.profile_id = p_worker and m.community_id = p_community and m.role = 'grid_worker'),
  -- Reports that reached one of the worker's grids at grid level during the month.
  arrived as (
    select r.id from app.grid_reports r, bounds
     where r.community_id = p_community and r.grid_id in (select grid_id from grids)
       and exists (select 1 from app.report_steps s where s.report_id = r.id and s.action = 'report' and s.to_level = 'grid'
                     and s.at >= bounds.t0 and s.at < bounds.t1)),
  accepted as (
    select s.report_id, s.on_time from app.report_steps s, bounds
     where s.report_id in (select id from arrived) and s.action = 'accept' and s.from_level = 'grid'),
  resolved as (
    select s.report_id, s.on_time, s.at from app.report_steps s, bounds
     where s.community_id = p_community and s.action = 'resolve' and s.from_level = 'grid' and s.actor_id = p_worker
       and s.at >= bounds.t0 and s.at < bounds.t1),
  escalated as (
    select distinct s.report_id from app.report_steps s
     where s.report_id in (select id from arrived) and s.action in ('escalate', 'auto_escalate') and s.from_level = 'grid'),
  reopened as (
    select distinct x.report_id from resolved x
     where exists (select 1 from app.report_steps s where s.report_id = x.report_id and s.action in ('reopen', 'review') and s.at > x.at)),
  rated as (
    select r.rating from app.grid_reports r where r.id in (select report_id from resolved) and r.rating is not null),
  visited as (
    select count(distinct v.household_id) as n from app.household_visits v, bounds
     where v.visited_by = p_worker and v.community_id = p_community and v.visited_at >= bounds.t0 and v.visited_at < bounds.t1),
  households as (
    select count(*) as n from app.households h join app.buildings b on b.id = h.building_id
     where h.community_id = p_community and b.grid_id in (select grid_id from grids)
       and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')),
  mediated as (
    select count(distinct s.dispute_id) as n from app.mediation_sessions s, bounds
     where s.mediator_id = p_worker and s.community_id = p_community and s.held_at >= bounds.t0 and s.held_at < bounds.t1)
  select jsonb_build_object(
    'workerId', p_worker, 'name', app.masked_name_of(p_worker), 'month', to_char(p_month, 'YYYY-MM'),
    'reports', (select count(*) from arrived),
    'acceptedOnTime', (select count(*) from accepted where on_time),
    'acceptedOnTimeRate', (select case when count(*) = 0 then null else round(100.0 * count(*) filter (where exists (select 1 from accepted a where a.report_id = arrived.id and a.on_time)) / count(*), 1) end from arrived),
    'resolved', (select count(*) from resolved),
    'resolvedOnTime', (select count(*) from resolved where on_time),
    'resolvedOnTimeRate', (select case when count(*) = 0 then null else round(100.0 * count(*) filter (where on_time) / count(*), 1) end from resolved),
    'escalated', (select count(*) from escalated),
    'escalatedRate', (select case when (select count(*) from arrived) = 0 then null else round(100.0 * count(*) / (select count(*) from arrived), 1) end from escalated),
    'reopened', (select count(*) from reopened),
    'reopenedRate', (select case when (select count(*) from resolved) = 0 then null else round(100.0 * count(*) / (select count(*) from resolved), 1) end from reopened),
    'averageRating', (select round(avg(rating)::numeric, 2) from rated),
    'ratings', (select count(*) from rated),
    'householdsVisited', (select n from visited),
    'households', (select n from households),
    'disputesMediated', (select n from mediated));
$$;

-- A worker sees their own figures; the committee and street admins any worker's of the community.
create function public.get_grid_figures(p_community_id uuid, p_month date, p_worker_id uuid default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare v_worker uuid := coalesce(p_worker_id, app.require_uid());
begin
  perform app.require_uid();
  if v_worker <> (select auth.uid()) and not app.is_overseer(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  if not exists (select 1 from app.memberships m where m.profile_id = v_worker and m.community_id = p_community_id and m.role = 'grid_worker') then
    perform app.fail('grid.worker_not_found');
  end if;
  if extract(day from p_month) <> 1 then
    perform app.fail('core.invalid_input', 'field:month');
  end if;
  return app.grid_figures(v_worker, p_community_id, p_month);
end
$$;

-- Every worker of the community side by side (committee, supervisors, street admins).
create function public.list_grid_figures(p_community_id uuid, p_month date, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 1), array['00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.is_overseer(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', app.grid_figures(w.profile_id, p_community_id, p_month), 'c', app.encode_cursor(array[w.profile_id::text]))
                   order by w.profile_id)
    into v_rows
    from (select distinct m.profile_id from app.memberships m
           where m.community_id = p_community_id and m.role = 'grid_worker' and m.profile_id > cur[1]::uuid
           order by m.profile_id limit v_limit + 1) w;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- files on reports, messages

-- As in 20261130003000_files.sql, with grid reports (before/after photos).
create or replace function app.entity_community(p_entity text, p_entity_id uuid) returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare v uuid;
begin
  case p_entity
    when 'application' then select community_id into v from app.applications where id = p_entity_id;
    when 'notice', 'finance' then select community_id into v from app.notices where id = p_entity_id;
    when 'goods' then select community_id into v from app.goods where id = p_entity_id;
    when 'topic' then select community_id into v from app.topics where id = p_entity_id;
    when 'activity' then select community_id into v from app.activities where id = p_entity_id;
    when 'grid_report' then select community_id into v from app.grid_reports where id = p_entity_id;
    else v := null;
  end case;
  return v;
end
$$;

create or replace function app.can_read_entity(p_entity text, p_entity_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  t app.topics;
  r app.grid_reports;
begin
  case p_entity
    when 'application' then return app.can_see_application(p_entity_id);
    when 'notice', 'finance' then
      return app.can_read_notice(p_entity_id)
          or exists (select 1 from app.notices n where n.id = p_entity_id and app.is_overseer(n.community_id));
    when 'goods' then return exists (select 1 from app.goods g where g.id = p_entity_id and app.is_member(g.community_id));
    when 'topic' then
      select * into t from app.topics where id = p_entity_id;
      return t.id is not null and app.can_see_topic(t);
    when 'activity' then return app.can_see_activity(p_entity_id);
    when 'grid_report' then
      select * into r from app.grid_reports where id = p_entity_id;
      return r.id is not null and app.can_see_report(r);
    else return false;
  end case;
end
$$;

create or replace function app.can_attach(p_entity text, p_entity_id uuid) returns boolean
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := (select auth.uid());
  r app.grid_reports;
begin
  case p_entity
    when 'application' then
      return exists (select 1 from app.applications a where a.id = p_entity_id and a.status not in ('completed', 'rejected') and (
               a.applicant_id = v_uid
               or app.has_role(a.community_id, '{clerk,committee}')
               or exists (select 1 from app.proxy_requests p where p.application_id = a.id and p.helper_id = v_uid and p.status = 'consented')));
    when 'notice', 'finance' then
      return exists (select 1 from app.notices n where n.id = p_entity_id and n.first_published_at is null
                        and app.has_role(n.community_id, '{committee,admin}'));
    when 'goods' then return exists (select 1 from app.goods g where g.id = p_entity_id and app.has_role(g.community_id, '{committee,clerk}'));
    when 'topic' then
      return exists (select 1 from app.topics t where t.id = p_entity_id and t.status = 'collecting'
                        and (t.raised_by = v_uid or app.has_role(t.community_id, '{committee}')));
    when 'activity' then return app.can_organize(p_entity_id);
    when 'grid_report' then
      -- The reporter (a before-photo, while it is open), whoever holds it, and a called department (after-photos).
      select * into r from app.grid_reports where id = p_entity_id;
      return r.id is not null and r.status in ('reported', 'accepted', 'in_progress')
         and (r.reporter_id = v_uid or app.holds_report(r) or app.is_called_department(r.id));
    else return false;
  end case;
end
$$;

alter table app.message_subscriptions drop constraint message_subscriptions_topic_check;
alter table app.message_subscriptions add constraint message_subscriptions_topic_check check (topic in ('notices', 'whistle', 'hall', 'grid'));

create function public.subscribe_grid(p_community_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v_credits integer;
begin
  perform app.require_uid();
  if not app.is_member(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  insert into app.message_subscriptions as s (profile_id, community_id, topic, credits)
  values ((select auth.uid()), p_community_id, 'grid', 1)
  on conflict (profile_id, community_id, topic) do update set credits = least(s.credits + 1, 1000), updated_at = now()
  returning credits into v_credits;
  return jsonb_build_object('topic', 'grid', 'credits', v_credits);
end
$$;

-- ---------------------------------------------------------------- the desk

-- As in 20261122000100_core.sql, with the departments the caller answers 报到 for.
create or replace function public.get_me() returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v app.profiles;
begin
  select * into v from app.profiles where id = v_uid;
  if v.id is null then
    perform app.fail('auth.required');
  end if;
  return jsonb_build_object(
    'profile', app.profile_json(v) || jsonb_build_object('phone', v.phone),
    'communities', (
      select coalesce(jsonb_agg(x.j order by x.first_at), '[]'::jsonb) from (
        select min(m.created_at) as first_at, jsonb_build_object(
          'id', c.id, 'name', c.name, 'kind', c.kind, 'streetName', s.name,
          'servicePhone', c.service_phone, 'serviceHours', c.service_hours,
          'roles', jsonb_agg(distinct m.role::text),
          'household', (select jsonb_build_object('id', h.id, 'address', b.name || ' ' || h.room,
                                                  'gridId', b.grid_id, 'gridName', g.name)
                          from app.memberships mh
                          join app.households h on h.id = mh.household_id
                          join app.buildings b on b.id = h.building_id
                          join app.grids g on g.id = b.grid_id
                         where mh.profile_id = v_uid and mh.community_id = c.id and mh.role = 'resident'
                         limit 1),
          'gridWorker', (select jsonb_build_object('name', coalesce(gp.real_name, gp.display_name),
                                                   'phone', gp.phone)
                           from app.memberships mh
                           join app.households h on h.id = mh.household_id
                           join app.buildings b on b.id = h.building_id
                           join app.memberships gw on gw.grid_id = b.grid_id and gw.role = 'grid_worker'
                           join app.profiles gp on gp.id = gw.profile_id
                          where mh.profile_id = v_uid and mh.community_id = c.id and mh.role = 'resident'
                          limit 1),
          'grids', (select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name)), '[]'::jsonb)
                      from app.memberships mg join app.grids g on g.id = mg.grid_id
                     where mg.profile_id = v_uid and mg.community_id = c.id)) as j
          from app.memberships m
          join app.communities c on c.id = m.community_id
          join app.streets s on s.id = c.street_id
         where m.profile_id = v_uid
         group by c.id, s.id) x),
    'adminOf', (select coalesce(jsonb_agg(jsonb_build_object('streetId', s.id, 'streetName', s.name)), '[]'::jsonb)
                  from app.street_admins sa join app.streets s on s.id = sa.street_id
                 where sa.profile_id = v_uid),
    'departments', (select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'name', d.name) order by d.name), '[]'::jsonb)
                      from app.department_contacts ct join app.departments d on d.id = ct.department_id
                     where ct.profile_id = v_uid),
    'verifications', (
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', r.id, 'communityId', r.community_id, 'communityName', c.name,
               'address', b.name || ' ' || r.room, 'status', r.status, 'reason', r.decision_reason,
               'createdAt', r.created_at, 'decidedAt', r.decided_at) order by r.created_at desc), '[]'::jsonb)
        from app.verification_requests r
        join app.communities c on c.id = r.community_id
        join app.buildings b on b.id = r.building_id
       where r.profile_id = v_uid),
    'consents', (
      select coalesce(jsonb_object_agg(x.purpose, jsonb_build_object('version', x.version, 'granted', x.granted,
                                                                    'at', x.created_at)), '{}'::jsonb)
        from (select distinct on (c.purpose) c.purpose, c.version, c.granted, c.created_at
                from app.consents c where c.profile_id = v_uid
               order by c.purpose, c.created_at desc, c.id desc) x));
end
$$;

-- What waits for the caller in a community's grid work: the counts behind the desk's tabs.
create function public.get_grid_desk(p_community_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_grids uuid[];
  v_staff boolean := app.has_role(p_community_id, '{committee,clerk,supervisor,admin}');
  v_committee boolean := app.is_committee(p_community_id);
  v_since timestamptz := (date_trunc('quarter', now() at time zone 'Asia/Shanghai')) at time zone 'Asia/Shanghai';
begin
  if not app.is_member(p_community_id) then
    perform app.fail('core.forbidden');
  end if;
  select coalesce(array_agg(g.id), '{}') into v_grids from app.grids g where g.id = any (app.my_worker_grid_ids()) and g.community_id = p_community_id;
  return jsonb_build_object(
    'grids', (select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name) order by g.name), '[]'::jsonb)
                from app.grids g where g.id = any (v_grids)),
    'isWorker', cardinality(v_grids) > 0,
    'isStaff', v_staff,
    'isStreetAdmin', app.has_role(p_community_id, '{admin}'),
    'mayMediate', cardinality(v_grids) > 0 or v_committee,
    'gridOpen', (select count(*) from app.grid_reports r where r.community_id = p_community_id and r.grid_id = any (v_grids)
                   and r.level = 'grid' and r.status in ('reported', 'accepted', 'in_progress')),
    'gridOverdue', (select count(*) from app.grid_reports r where r.community_id = p_community_id and r.grid_id = any (v_grids)
                      and r.level = 'grid' and ((r.status = 'reported' and r.accept_due < now())
                                                or (r.status in ('accepted', 'in_progress') and r.solve_due < now()))),
    'communityOpen', case when v_staff then (select count(*) from app.grid_reports r where r.community_id = p_community_id and r.level = 'community'
                                               and r.status in ('reported', 'accepted', 'in_progress')) end,
    'streetOpen', case when app.has_role(p_community_id, '{admin}') then (select count(*) from app.grid_reports r where r.community_id = p_community_id
                                               and r.level = 'street' and r.status in ('reported', 'accepted', 'in_progress')) end,
    'followUpsDue', (select count(*) from app.household_visits v where v.community_id = p_community_id and v.visited_by = v_uid
                       and v.follow_up is not null and v.follow_up_done_at is null and v.follow_up_due <= app.today() + 3),
    'unvisited', (select count(*) from app.households h join app.buildings b on b.id = h.building_id
                   where h.community_id = p_community_id and b.grid_id = any (v_grids)
                     and exists (select 1 from app.memberships m where m.household_id = h.id and m.role = 'resident')
                     and not exists (select 1 from app.household_visits v where v.household_id = h.id and v.visited_at >= v_since)),
    'openDisputes', (select count(*) from app.disputes d where d.community_id = p_community_id and d.status = 'open'
                       and (v_committee or d.grid_id = any (v_grids))));
end
$$;

-- ---------------------------------------------------------------- grants

-- Only what RLS policies call; the other app helpers run inside definer functions.
grant execute on function app.my_worker_grid_ids() to authenticated;
grant execute on function public.create_report(uuid, text, text, text, uuid, uuid, numeric, numeric, text, boolean, uuid[], text),
  public.find_similar_reports(uuid, text, uuid, uuid), public.join_report(uuid), public.get_report(uuid),
  public.report_step(uuid, text, text, uuid, integer, uuid[]), public.list_my_reports(integer, text),
  public.list_report_queue(uuid, text, integer, text), public.list_report_categories(uuid), public.list_public_places(uuid, integer, text),
  public.list_departments(uuid), public.list_my_department_calls(integer, text), public.record_visit(uuid, text, text[], text, text, date, uuid),
  public.complete_follow_up(uuid), public.list_visits(uuid, integer, text), public.list_unvisited_households(uuid, integer, text),
  public.write_work_log(uuid, date, text), public.list_work_logs(uuid, integer, text), public.open_dispute(uuid, text, text, uuid[], uuid),
  public.get_dispute(uuid), public.record_mediation(uuid, text), public.conclude_dispute(uuid, text, text, text),
  public.list_disputes(uuid, integer, text), public.get_grid_figures(uuid, date, uuid), public.list_grid_figures(uuid, date, integer, text),
  public.subscribe_grid(uuid), public.get_grid_desk(uuid) to authenticated;
grant execute on function public.escalate_overdue_reports(integer) to service_role;

-- On Supabase, pg_cron runs the escalation every 5 minutes; locally the Node server's timer does, on Vercel its Cron.
do $$
begin
  if exists (select 1 from pg_extension where extname = 'pg_cron') then
    perform cron.schedule('cunju-escalate-reports', '*/5 * * * *', 'select public.escalate_overdue_reports()');
  end if;
end
$$;
