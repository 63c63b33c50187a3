-- Volunteers and the points ledger (志愿服务 · 积分).
--
-- Volunteer profiles and teams; activities with seats, a waitlist and a cancel cut-off; on-site check-in with
-- a code that changes every 45 seconds; hours from presence; the points ledger that the points mall spends.
-- Rules enforced here:
--   * seats are taken by one conditional update (never more than capacity, however many sign up at once);
--     a full activity puts people on a waitlist, promoted strictly in order when someone cancels;
--   * no sign-up after the start, none to another community's or another grid's activity, cancel only before
--     the cut-off;
--   * a check-in code is valid for its 45-second window (and the one before, for a scan that crosses the
--     boundary); a code of another activity or an older window is refused;
--   * confirmed hours credit points exactly once (unique key per activity and person): points =
--     floor(minutes × points per hour ÷ 60), minutes counted inside the activity's start and end, zero below
--     the minimum presence;
--   * the ledger is append-only; every entry moves the account balance in the same transaction and the
--     balance can never go below zero (CHECK); a correction is a new entry;
--   * deductions need a reason and a second committee member's approval;
--   * points earned in a month stay pending until that month's 积分公示 objection window has closed
--     (a window of 0 days makes them available at once); only available points can be spent.

-- ---------------------------------------------------------------- volunteers and teams

create table app.volunteer_profiles (
  profile_id uuid not null references app.profiles (id),
  community_id uuid not null references app.communities (id),
  skills text[] not null default '{}' check (cardinality(skills) <= 10),
  availability text not null default '' check (char_length(availability) <= 100),
  show_name boolean not null default false,
  created_at timestamptz not null default now(),
  primary key (profile_id, community_id)
);
comment on table app.volunteer_profiles is '志愿者登记: skills (特长), availability, and whether their name may appear in public lists.';
create index volunteer_profiles_community_idx on app.volunteer_profiles (community_id);

create table app.teams (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  name text not null check (char_length(name) between 2 and 40),
  description text not null default '',
  leader_id uuid references app.profiles (id),
  created_at timestamptz not null default now(),
  unique (community_id, name)
);
comment on table app.teams is '服务队: 党员先锋服务队, 网格员服务队, 志愿者服务队, 农技员服务队 …';
create index teams_leader_idx on app.teams (leader_id);

create table app.team_members (
  team_id uuid not null references app.teams (id),
  profile_id uuid not null references app.profiles (id),
  status text not null default 'pending' check (status in ('pending', 'approved', 'refused')),
  decided_by uuid references app.profiles (id),
  decided_at timestamptz,
  reason text,
  created_at timestamptz not null default now(),
  primary key (team_id, profile_id),
  check (status <> 'refused' or char_length(btrim(coalesce(reason, ''))) >= 2)
);
comment on table app.team_members is 'Who asked to join which team; the team leader or a committee member decides.';
create index team_members_profile_idx on app.team_members (profile_id);
create index team_members_decided_by_idx on app.team_members (decided_by);

-- ---------------------------------------------------------------- activities

create table app.activities (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  grid_id uuid,
  team_id uuid references app.teams (id),
  title text not null check (char_length(title) between 2 and 60),
  description text not null default '' check (char_length(description) <= 2000),
  place text not null check (char_length(place) between 2 and 80),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  capacity integer not null check (capacity between 1 and 500),
  seats_taken integer not null default 0,
  waitlist boolean not null default true,
  required_skills text[] not null default '{}',
  points_per_hour integer not null check (points_per_hour between 0 and 100),
  cancel_until timestamptz not null,
  min_presence_minutes integer not null default 30 check (min_presence_minutes between 0 and 480),
  code_secret text not null default encode(sha256(gen_random_uuid()::text::bytea || clock_timestamp()::text::bytea), 'hex'),
  organizer_id uuid not null references app.profiles (id),
  status text not null default 'open' check (status in ('open', 'cancelled', 'confirmed')),
  confirmed_at timestamptz,
  created_at timestamptz not null default now(),
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  check (ends_at > starts_at and ends_at <= starts_at + interval '24 hours'),
  check (cancel_until <= starts_at),
  check (seats_taken between 0 and capacity)
);
comment on table app.activities is '志愿活动. seats_taken never exceeds capacity (CHECK and one conditional update). code_secret is never readable by residents.';
create index activities_community_start_idx on app.activities (community_id, starts_at);
create index activities_grid_idx on app.activities (grid_id);
create index activities_team_idx on app.activities (team_id);
create index activities_organizer_idx on app.activities (organizer_id);

create table app.activity_signups (
  id uuid primary key default gen_random_uuid(),
  activity_id uuid not null references app.activities (id),
  profile_id uuid not null references app.profiles (id),
  status text not null check (status in ('confirmed', 'waitlisted', 'cancelled')),
  waitlist_seq bigint generated always as identity,
  idempotency_key text,
  created_at timestamptz not null default now(),
  promoted_at timestamptz,
  cancelled_at timestamptz,
  checked_in_at timestamptz,
  checked_out_at timestamptz,
  minutes integer check (minutes between 0 and 1440),
  points integer check (points >= 0),
  confirmed_by uuid references app.profiles (id),
  confirmed_at timestamptz,
  correction_reason text,
  check (checked_out_at is null or (checked_in_at is not null and checked_out_at >= checked_in_at))
);
comment on table app.activity_signups is 'Sign-ups, the waitlist (in waitlist_seq order), presence and the confirmed minutes and points.';
create unique index activity_signups_one_active_idx on app.activity_signups (activity_id, profile_id) where status <> 'cancelled';
create unique index activity_signups_idempotency_idx on app.activity_signups (profile_id, idempotency_key);
create index activity_signups_waitlist_idx on app.activity_signups (activity_id, status, waitlist_seq);
create index activity_signups_profile_idx on app.activity_signups (profile_id);
create index activity_signups_confirmed_by_idx on app.activity_signups (confirmed_by);

-- ---------------------------------------------------------------- the points ledger

create table app.point_accounts (
  profile_id uuid not null references app.profiles (id),
  community_id uuid not null references app.communities (id),
  balance integer not null default 0 check (balance >= 0),
  updated_at timestamptz not null default now(),
  primary key (profile_id, community_id)
);
comment on table app.point_accounts is 'Balance per person and community: always the sum of their entries, never below zero.';
create index point_accounts_community_idx on app.point_accounts (community_id);

create table app.point_entries (
  id bigint generated always as identity primary key,
  profile_id uuid not null,
  community_id uuid not null,
  delta integer not null check (delta <> 0),
  kind text not null check (kind in ('service', 'award', 'deduction', 'correction', 'objection', 'redemption', 'refund')),
  reason text not null check (char_length(reason) between 2 and 200),
  reference text,
  idempotency_key text not null,
  month date not null default date_trunc('month', now() at time zone 'Asia/Shanghai')::date,
  actor_id uuid references app.profiles (id),
  approved_by uuid references app.profiles (id),
  reverses bigint references app.point_entries (id),
  created_at timestamptz not null default now(),
  foreign key (profile_id, community_id) references app.point_accounts (profile_id, community_id),
  unique (profile_id, community_id, idempotency_key),
  check (kind <> 'deduction' or (approved_by is not null and approved_by <> actor_id))
);
comment on table app.point_entries is 'The points ledger, append-only: every change of a balance is one entry with a reason; corrections are new entries.';
create index point_entries_account_idx on app.point_entries (profile_id, community_id, created_at);
create index point_entries_month_idx on app.point_entries (community_id, month);
create index point_entries_actor_idx on app.point_entries (actor_id);
create index point_entries_approved_by_idx on app.point_entries (approved_by);
create index point_entries_reverses_idx on app.point_entries (reverses);
create trigger point_entries_append_only before update or delete on app.point_entries
  for each row execute function app.forbid_change();

create table app.point_deduction_requests (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  profile_id uuid not null references app.profiles (id),
  points integer not null check (points between 1 and 100000),
  reason text not null check (char_length(reason) between 2 and 200),
  requested_by uuid not null references app.profiles (id),
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  decided_by uuid references app.profiles (id),
  decided_at timestamptz,
  entry_id bigint references app.point_entries (id),
  created_at timestamptz not null default now(),
  check (decided_by is null or decided_by <> requested_by)
);
comment on table app.point_deduction_requests is 'Deductions wait for a second committee member (two-person rule).';
create index point_deductions_community_idx on app.point_deduction_requests (community_id, status);
create index point_deductions_profile_idx on app.point_deduction_requests (profile_id);
create index point_deductions_requested_by_idx on app.point_deduction_requests (requested_by);
create index point_deductions_decided_by_idx on app.point_deduction_requests (decided_by);
create index point_deductions_entry_idx on app.point_deduction_requests (entry_id);

create table app.point_publications (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  month date not null check (extract(day from month) = 1),
  objection_days integer not null check (objection_days between 0 and 30),
  published_by uuid not null references app.profiles (id),
  published_at timestamptz not null default now(),
  window_closes_at timestamptz not null,
  unique (community_id, month)
);
comment on table app.point_publications is '积分公示: a month''s entries published to the community, with an objection window.';
create index point_publications_published_by_idx on app.point_publications (published_by);

create table app.point_objections (
  id uuid primary key default gen_random_uuid(),
  publication_id uuid not null references app.point_publications (id),
  entry_id bigint not null references app.point_entries (id),
  objector_id uuid not null references app.profiles (id),
  reason text not null check (char_length(reason) between 5 and 300),
  status text not null default 'open' check (status in ('open', 'upheld', 'dismissed')),
  resolution text,
  resolved_by uuid references app.profiles (id),
  resolved_at timestamptz,
  created_at timestamptz not null default now(),
  check ((status = 'open') = (resolved_at is null)),
  check (status = 'open' or char_length(btrim(coalesce(resolution, ''))) >= 2)
);
comment on table app.point_objections is 'Objections to a published entry; a committee member upholds (the entry is reversed) or dismisses them, with a resolution.';
create unique index point_objections_one_open_idx on app.point_objections (entry_id, objector_id) where status = 'open';
create index point_objections_publication_idx on app.point_objections (publication_id);
create index point_objections_entry_idx on app.point_objections (entry_id);
create index point_objections_objector_idx on app.point_objections (objector_id);
create index point_objections_resolved_by_idx on app.point_objections (resolved_by);

-- ---------------------------------------------------------------- 吹哨报到

create table app.whistle_calls (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  grid_id uuid,
  team_id uuid references app.teams (id),
  title text not null check (char_length(title) between 2 and 60),
  detail text not null default '' check (char_length(detail) <= 500),
  place text not null check (char_length(place) between 2 and 80),
  created_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  closes_at timestamptz not null,
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  check (closes_at > created_at)
);
comment on table app.whistle_calls is '吹哨: an urgent call to the volunteers of a grid or a team.';
create index whistle_calls_community_idx on app.whistle_calls (community_id, closes_at);
create index whistle_calls_grid_idx on app.whistle_calls (grid_id);
create index whistle_calls_team_idx on app.whistle_calls (team_id);
create index whistle_calls_created_by_idx on app.whistle_calls (created_by);

create table app.whistle_responses (
  call_id uuid not null references app.whistle_calls (id),
  profile_id uuid not null references app.profiles (id),
  eta_minutes integer check (eta_minutes between 0 and 240),
  responded_at timestamptz not null default now(),
  primary key (call_id, profile_id)
);
comment on table app.whistle_responses is '报到: volunteers answering a call, once each.';
create index whistle_responses_profile_idx on app.whistle_responses (profile_id);

alter table app.message_subscriptions drop constraint message_subscriptions_topic_check;
alter table app.message_subscriptions add constraint message_subscriptions_topic_check check (topic in ('notices', 'whistle'));

-- ---------------------------------------------------------------- helpers

create function app.setting_int(p_community uuid, p_key text, p_default integer) returns integer
language sql stable security definer set search_path = '' as $$
  select coalesce((select (c.settings ->> p_key)::integer from app.communities c where c.id = p_community), p_default);
$$;

create function app.is_volunteer(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.volunteer_profiles v where v.profile_id = (select auth.uid()) and v.community_id = p_community);
$$;

create function app.can_see_activity(p_activity uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.activities a where a.id = p_activity and (
    app.has_role(a.community_id, '{committee,clerk,grid_worker,supervisor,admin}')
    or a.organizer_id = (select auth.uid())
    or (app.has_role(a.community_id, '{resident}') and (a.grid_id is null or app.my_grid(a.community_id) = a.grid_id))));
$$;

create function app.can_organize(p_activity uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.activities a where a.id = p_activity and (
    a.organizer_id = (select auth.uid()) or app.has_role(a.community_id, '{committee}')));
$$;

-- The code shown on the organiser's phone for a 45-second window: 6 digits from a keyed SHA-256.
create function app.checkin_code(p_secret text, p_window bigint) returns text
language sql immutable set search_path = '' as $$
  select lpad(((('x' || left(encode(sha256(convert_to(p_secret || ':' || p_window::text || ':' || p_secret, 'UTF8')), 'hex'), 8))::bit(32)::bigint) % 1000000)::text, 6, '0');
$$;

create function app.checkin_window(p_at timestamptz default now()) returns bigint
language sql stable set search_path = '' as $$
  select floor(extract(epoch from p_at) / 45)::bigint;
$$;

-- One entry in the ledger, and the balance moved with it. A retry with the same key returns the first entry.
create function app.post_points(p_profile uuid, p_community uuid, p_delta integer, p_kind text, p_reason text,
                                p_reference text, p_key text, p_approved_by uuid default null, p_reverses bigint default null,
                                p_actor uuid default null)
returns app.point_entries
language plpgsql volatile security definer set search_path = '' as $$
declare e app.point_entries;
begin
  insert into app.point_accounts (profile_id, community_id) values (p_profile, p_community) on conflict do nothing;
  insert into app.point_entries (profile_id, community_id, delta, kind, reason, reference, idempotency_key, actor_id, approved_by, reverses)
  values (p_profile, p_community, p_delta, p_kind, p_reason, p_reference, p_key, coalesce(p_actor, (select auth.uid())), p_approved_by, p_reverses)
  on conflict (profile_id, community_id, idempotency_key) do nothing
  returning * into e;
  if e.id is null then
    select * into e from app.point_entries
     where profile_id = p_profile and community_id = p_community and idempotency_key = p_key;
    return e;
  end if;
  update app.point_accounts set balance = balance + p_delta, updated_at = now()
   where profile_id = p_profile and community_id = p_community;
  return e;
exception
  when check_violation then
    perform app.fail('points.insufficient');
end
$$;

-- Earned points of months whose objection window is still open (or not yet published) are pending.
create function app.pending_points(p_profile uuid, p_community uuid) returns integer
language sql stable security definer set search_path = '' as $$
  select coalesce(sum(e.delta), 0)::integer
    from app.point_entries e
   where e.profile_id = p_profile and e.community_id = p_community and e.delta > 0
     and e.kind in ('service', 'award', 'correction')
     and app.setting_int(p_community, 'pointsObjectionDays', 7) > 0
     and not exists (select 1 from app.point_publications p
                      where p.community_id = e.community_id and p.month = e.month and p.window_closes_at <= now());
$$;

create function app.points_summary(p_profile uuid, p_community uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('balance', b.balance, 'pending', least(b.balance, p.pending),
                            'available', greatest(b.balance - p.pending, 0))
    from (select coalesce((select a.balance from app.point_accounts a where a.profile_id = p_profile and a.community_id = p_community), 0) as balance) b,
         (select app.pending_points(p_profile, p_community) as pending) p;
$$;

-- Spend available points (the points mall): refused when not enough are available.
create function app.spend_points(p_profile uuid, p_community uuid, p_points integer, p_kind text, p_reason text,
                                 p_reference text, p_key text) returns app.point_entries
language plpgsql volatile security definer set search_path = '' as $$
declare v_available integer;
begin
  -- Serialise spending per account so two purchases cannot both see the same available points.
  insert into app.point_accounts (profile_id, community_id) values (p_profile, p_community) on conflict do nothing;
  perform 1 from app.point_accounts where profile_id = p_profile and community_id = p_community for update;
  v_available := (app.points_summary(p_profile, p_community) ->> 'available')::integer;
  if v_available < p_points then
    perform app.fail('points.insufficient');
  end if;
  return app.post_points(p_profile, p_community, -p_points, p_kind, p_reason, p_reference, p_key);
end
$$;

create function app.display_name_for_public(p_profile uuid, p_community uuid) returns text
language sql stable security definer set search_path = '' as $$
  select case when coalesce((select v.show_name from app.volunteer_profiles v where v.profile_id = p_profile and v.community_id = p_community), false)
              then coalesce(p.real_name, p.display_name)
              else app.mask_name(coalesce(p.real_name, p.display_name)) end
    from app.profiles p where p.id = p_profile;
$$;

-- ---------------------------------------------------------------- RLS

alter table app.volunteer_profiles enable row level security;
alter table app.teams enable row level security;
alter table app.team_members enable row level security;
alter table app.activities enable row level security;
alter table app.activity_signups enable row level security;
alter table app.point_accounts enable row level security;
alter table app.point_entries enable row level security;
alter table app.point_deduction_requests enable row level security;
alter table app.point_publications enable row level security;
alter table app.point_objections enable row level security;
alter table app.whistle_calls enable row level security;
alter table app.whistle_responses enable row level security;

grant select on app.volunteer_profiles, app.teams, app.team_members, app.activity_signups, app.point_accounts,
  app.point_entries, app.point_deduction_requests, app.point_publications, app.point_objections, app.whistle_calls,
  app.whistle_responses to authenticated;
-- Everything but the check-in secret.
grant select (id, community_id, grid_id, team_id, title, description, place, starts_at, ends_at, capacity, seats_taken,
              waitlist, required_skills, points_per_hour, cancel_until, min_presence_minutes, organizer_id, status,
              confirmed_at, created_at) on app.activities to authenticated;

create policy "Volunteers see their own profile; staff see their community's" on app.volunteer_profiles
  for select to authenticated using (profile_id = (select auth.uid()) or app.has_role(community_id, '{committee,grid_worker,admin}'));
create policy "Members see their community's teams" on app.teams
  for select to authenticated using (app.has_role(community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}'));
create policy "People see their own team requests; leaders and committee see the team's" on app.team_members
  for select to authenticated using (profile_id = (select auth.uid()) or exists (
    select 1 from app.teams t where t.id = team_members.team_id
       and (t.leader_id = (select auth.uid()) or app.has_role(t.community_id, '{committee,admin}'))));
create policy "People see activities meant for them" on app.activities
  for select to authenticated using (app.can_see_activity(id));
create policy "People see their own sign-ups; organisers and staff see the activity's" on app.activity_signups
  for select to authenticated using (profile_id = (select auth.uid()) or app.can_organize(activity_id)
    or exists (select 1 from app.activities a where a.id = activity_signups.activity_id and app.has_role(a.community_id, '{committee,admin}')));
create policy "People see their own account; committee sees the community's" on app.point_accounts
  for select to authenticated using (profile_id = (select auth.uid()) or app.has_role(community_id, '{committee,supervisor,admin}'));
create policy "People see their own entries; committee and supervisors see the community's" on app.point_entries
  for select to authenticated using (profile_id = (select auth.uid()) or app.has_role(community_id, '{committee,supervisor,admin}'));
create policy "Committee sees deduction requests" on app.point_deduction_requests
  for select to authenticated using (app.has_role(community_id, '{committee,supervisor,admin}'));
create policy "Members see publications" on app.point_publications
  for select to authenticated using (app.has_role(community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}'));
create policy "Objectors see theirs; committee and supervisors see all" on app.point_objections
  for select to authenticated using (objector_id = (select auth.uid()) or exists (
    select 1 from app.point_publications p where p.id = point_objections.publication_id
       and app.has_role(p.community_id, '{committee,supervisor,admin}')));
create policy "Volunteers of the grid or team and staff see calls" on app.whistle_calls
  for select to authenticated using (app.has_role(community_id, '{committee,grid_worker,admin}') or (
    app.is_volunteer(community_id)
    and (grid_id is null or app.my_grid(community_id) = grid_id)
    and (team_id is null or exists (select 1 from app.team_members m where m.team_id = whistle_calls.team_id
                                       and m.profile_id = (select auth.uid()) and m.status = 'approved'))));
create policy "Responders see theirs; callers and staff see all" on app.whistle_responses
  for select to authenticated using (profile_id = (select auth.uid()) or exists (
    select 1 from app.whistle_calls c where c.id = whistle_responses.call_id
       and (c.created_by = (select auth.uid()) or app.has_role(c.community_id, '{committee,grid_worker,admin}'))));

grant all on app.volunteer_profiles, app.teams, app.team_members, app.activities, app.activity_signups, app.point_accounts,
  app.point_entries, app.point_deduction_requests, app.point_publications, app.point_objections, app.whistle_calls,
  app.whistle_responses to service_role;

-- ---------------------------------------------------------------- volunteer profile and teams

create function public.register_volunteer(p_community_id uuid, p_skills text[], p_availability text, p_show_name boolean)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v_uid uuid := app.require_uid();
begin
  if not app.has_role(p_community_id, '{resident}') then
    perform app.fail('volunteer.resident_required');
  end if;
  insert into app.volunteer_profiles as v (profile_id, community_id, skills, availability, show_name)
  values (v_uid, p_community_id, coalesce(p_skills, '{}'), coalesce(btrim(p_availability), ''), p_show_name)
  on conflict (profile_id, community_id) do update
     set skills = excluded.skills, availability = excluded.availability, show_name = excluded.show_name;
  -- Showing one's name in public lists is a consent of its own.
  insert into app.consents (profile_id, purpose, version, granted) values (v_uid, 'public_name', 'volunteer-2026', p_show_name);
  perform app.audit(p_community_id, 'volunteer.register', 'volunteer_profile', v_uid::text);
  return public.get_volunteer_profile(p_community_id);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.get_volunteer_profile(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'registered', v.profile_id is not null, 'skills', coalesce(to_jsonb(v.skills), '[]'::jsonb),
    'availability', coalesce(v.availability, ''), 'showName', coalesce(v.show_name, false),
    'teams', (select coalesce(jsonb_agg(jsonb_build_object(
                'id', t.id, 'name', t.name, 'description', t.description,
                'leader', app.masked_name_of(t.leader_id), 'isLeader', t.leader_id = (select auth.uid()),
                'members', (select count(*) from app.team_members m where m.team_id = t.id and m.status = 'approved'),
                'myStatus', (select m.status from app.team_members m where m.team_id = t.id and m.profile_id = (select auth.uid())),
                'myReason', (select m.reason from app.team_members m where m.team_id = t.id and m.profile_id = (select auth.uid())),
                'pending', case when t.leader_id = (select auth.uid()) or app.has_role(t.community_id, '{committee}') then
                             (select coalesce(jsonb_agg(jsonb_build_object('profileId', m.profile_id, 'name', app.masked_name_of(m.profile_id),
                                                                           'skills', (select to_jsonb(vp.skills) from app.volunteer_profiles vp
                                                                                       where vp.profile_id = m.profile_id and vp.community_id = t.community_id))), '[]'::jsonb)
                                from app.team_members m where m.team_id = t.id and m.status = 'pending') end)
              order by t.name), '[]'::jsonb)
                from app.teams t where t.community_id = p_community_id))
    from (select 1) one
    left join app.volunteer_profiles v on v.profile_id = (select auth.uid()) and v.community_id = p_community_id;
$$;

create function public.request_team_join(p_team_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  t app.teams;
begin
  select * into t from app.teams where id = p_team_id;
  if t.id is null or not app.has_role(t.community_id, '{resident,committee,clerk,grid_worker,supervisor}') then
    perform app.fail('volunteer.team_not_found');
  end if;
  if not exists (select 1 from app.volunteer_profiles v where v.profile_id = v_uid and v.community_id = t.community_id) then
    perform app.fail('volunteer.profile_required');
  end if;
  insert into app.team_members (team_id, profile_id) values (t.id, v_uid)
  on conflict (team_id, profile_id) do update set status = 'pending', decided_by = null, decided_at = null, reason = null
   where app.team_members.status = 'refused';
  perform app.audit(t.community_id, 'team.join_request', 'team', t.id::text);
  return jsonb_build_object('teamId', t.id, 'status', (select m.status from app.team_members m where m.team_id = t.id and m.profile_id = v_uid));
end
$$;

create function public.decide_team_join(p_team_id uuid, p_profile_id uuid, p_approve boolean, p_reason text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  t app.teams;
  v_status text;
begin
  perform app.require_uid();
  select * into t from app.teams where id = p_team_id;
  if t.id is null or not (t.leader_id = (select auth.uid()) or app.has_role(t.community_id, '{committee}')) then
    perform app.fail('core.forbidden');
  end if;
  if not p_approve and char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  update app.team_members set status = case when p_approve then 'approved' else 'refused' end,
         decided_by = (select auth.uid()), decided_at = now(), reason = nullif(btrim(coalesce(p_reason, '')), '')
   where team_id = t.id and profile_id = p_profile_id and status = 'pending'
  returning status into v_status;
  if v_status is null then
    perform app.fail('volunteer.request_not_found');
  end if;
  perform app.audit(t.community_id, 'team.join_' || v_status, 'team', t.id::text, jsonb_build_object('reason', p_reason), p_profile_id);
  return jsonb_build_object('teamId', t.id, 'profileId', p_profile_id, 'status', v_status);
end
$$;

-- ---------------------------------------------------------------- activities

create function public.create_activity(p_community_id uuid, p_title text, p_description text, p_place text,
                                       p_starts_at timestamptz, p_ends_at timestamptz, p_capacity integer,
                                       p_points_per_hour integer, p_cancel_hours integer default 2,
                                       p_waitlist boolean default true, p_required_skills text[] default '{}',
                                       p_min_presence_minutes integer default 30, p_grid_id uuid default null,
                                       p_team_id uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_id uuid;
begin
  if not (app.has_role(p_community_id, '{committee}')
          or exists (select 1 from app.teams t where t.community_id = p_community_id and t.leader_id = v_uid
                      and (p_team_id is null or t.id = p_team_id))) then
    perform app.fail('core.forbidden');
  end if;
  if p_starts_at <= now() then
    perform app.fail('volunteer.starts_in_past');
  end if;
  if p_team_id is not null and not exists (select 1 from app.teams t where t.id = p_team_id and t.community_id = p_community_id) then
    perform app.fail('volunteer.team_not_found');
  end if;
  insert into app.activities (community_id, grid_id, team_id, title, description, place, starts_at, ends_at, capacity,
                              waitlist, required_skills, points_per_hour, cancel_until, min_presence_minutes, organizer_id)
  values (p_community_id, p_grid_id, p_team_id, btrim(p_title), coalesce(p_description, ''), btrim(p_place), p_starts_at,
          p_ends_at, p_capacity, p_waitlist, coalesce(p_required_skills, '{}'), p_points_per_hour,
          p_starts_at - make_interval(hours => greatest(coalesce(p_cancel_hours, 0), 0)), coalesce(p_min_presence_minutes, 30), v_uid)
  returning id into v_id;
  perform app.audit(p_community_id, 'activity.create', 'activity', v_id::text);
  return public.get_activity(v_id);
exception
  when check_violation or foreign_key_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function app.activity_summary(a app.activities) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select jsonb_build_object(
    'id', a.id, 'title', a.title, 'place', a.place, 'startsAt', a.starts_at, 'endsAt', a.ends_at,
    'capacity', a.capacity, 'seatsTaken', a.seats_taken, 'pointsPerHour', a.points_per_hour, 'status', a.status,
    'requiredSkills', to_jsonb(a.required_skills), 'cancelUntil', a.cancel_until, 'waitlist', a.waitlist,
    'gridId', a.grid_id, 'teamId', a.team_id,
    'mySignup', (select jsonb_build_object('status', s.status,
                   'waitlistPosition', case when s.status = 'waitlisted' then
                     (select count(*) from app.activity_signups w where w.activity_id = a.id and w.status = 'waitlisted' and w.waitlist_seq <= s.waitlist_seq) end,
                   'checkedInAt', s.checked_in_at, 'checkedOutAt', s.checked_out_at, 'minutes', s.minutes, 'points', s.points)
                   from app.activity_signups s where s.activity_id = a.id and s.profile_id = (select auth.uid()) and s.status <> 'cancelled'));
$$;

-- Definer (the check-in secret is not readable by residents), filtered by app.can_see_activity.
create function public.list_activities(p_community_id uuid, p_scope text default 'upcoming') returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(app.activity_summary(a) order by
           case when p_scope = 'past' then -extract(epoch from a.starts_at) else extract(epoch from a.starts_at) end), '[]'::jsonb)
    from app.activities a
   where a.community_id = p_community_id and a.status <> 'cancelled' and app.can_see_activity(a.id)
     and case p_scope
           when 'upcoming' then a.ends_at > now()
           when 'past' then a.ends_at <= now()
           when 'mine' then exists (select 1 from app.activity_signups s where s.activity_id = a.id
                                     and s.profile_id = (select auth.uid()) and s.status <> 'cancelled')
           when 'organizing' then app.can_organize(a.id) and a.status <> 'confirmed'
           else false end;
$$;

create function public.get_activity(p_activity_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare a app.activities;
begin
  select * into a from app.activities where id = p_activity_id;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  return app.activity_summary(a) || jsonb_build_object(
    'description', a.description, 'minPresenceMinutes', a.min_presence_minutes,
    'organizer', app.masked_name_of(a.organizer_id), 'confirmedAt', a.confirmed_at,
    'canOrganize', app.can_organize(a.id),
    'signups', case when app.can_organize(a.id) then (
      select coalesce(jsonb_agg(jsonb_build_object(
               'id', s.id, 'name', (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = s.profile_id),
               'status', s.status, 'checkedInAt', s.checked_in_at, 'checkedOutAt', s.checked_out_at,
               'minutes', s.minutes, 'points', s.points, 'correctionReason', s.correction_reason)
               order by s.status, s.waitlist_seq), '[]'::jsonb)
        from app.activity_signups s where s.activity_id = a.id and s.status <> 'cancelled') end);
end
$$;

-- Take a seat, or a place on the waitlist. A retry with the same key returns the first answer.
create function public.sign_up_activity(p_activity_id uuid, p_idempotency_key text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  a app.activities;
  s app.activity_signups;
  v_status text;
begin
  select * into s from app.activity_signups where profile_id = v_uid and idempotency_key = p_idempotency_key;
  if s.id is not null then
    return app.signup_json(s);
  end if;
  -- Sign-ups and cancellations of one activity take turns, so a freed seat and a new sign-up never cross.
  select * into a from app.activities where id = p_activity_id for update;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  if not app.has_role(a.community_id, '{resident}') then
    perform app.fail('volunteer.resident_required');
  end if;
  if a.status <> 'open' or a.starts_at <= now() then
    perform app.fail('volunteer.activity_started');
  end if;
  if exists (select 1 from app.activity_signups x where x.activity_id = a.id and x.profile_id = v_uid and x.status <> 'cancelled') then
    perform app.fail('volunteer.already_signed_up');
  end if;
  -- The seat: one conditional statement, so concurrent sign-ups can never exceed capacity.
  update app.activities set seats_taken = seats_taken + 1
   where id = a.id and seats_taken < capacity
  returning id into a.id;
  if a.id is not null then
    v_status := 'confirmed';
  else
    select * into a from app.activities where id = p_activity_id;
    if not a.waitlist then
      perform app.fail('volunteer.activity_full');
    end if;
    v_status := 'waitlisted';
  end if;
  insert into app.activity_signups (activity_id, profile_id, status, idempotency_key)
  values (p_activity_id, v_uid, v_status, p_idempotency_key) returning * into s;
  perform app.audit((select community_id from app.activities where id = p_activity_id), 'activity.signup', 'activity', p_activity_id::text,
                    jsonb_build_object('status', v_status));
  return app.signup_json(s);
exception
  when unique_violation then
    -- A concurrent retry with the same key: answer with the first result.
    select * into s from app.activity_signups where profile_id = v_uid and idempotency_key = p_idempotency_key;
    if s.id is not null then
      return app.signup_json(s);
    end if;
    perform app.fail('volunteer.already_signed_up');
end
$$;

create function app.signup_json(s app.activity_signups) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('signupId', s.id, 'activityId', s.activity_id, 'status', s.status,
    'waitlistPosition', case when s.status = 'waitlisted' then
      (select count(*) from app.activity_signups w where w.activity_id = s.activity_id and w.status = 'waitlisted' and w.waitlist_seq <= s.waitlist_seq) end);
$$;

-- Cancel before the cut-off; a freed seat goes to the first person on the waitlist.
create function public.cancel_signup(p_activity_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  a app.activities;
  s app.activity_signups;
  v_promoted uuid;
begin
  -- Lock the activity first: cancellations and promotions of one activity happen one at a time.
  select * into a from app.activities where id = p_activity_id for update;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  select * into s from app.activity_signups where activity_id = a.id and profile_id = v_uid and status <> 'cancelled';
  if s.id is null then
    perform app.fail('volunteer.not_signed_up');
  end if;
  if now() > a.cancel_until then
    perform app.fail('volunteer.cancel_closed');
  end if;
  update app.activity_signups set status = 'cancelled', cancelled_at = now() where id = s.id;
  if s.status = 'confirmed' then
    update app.activity_signups set status = 'confirmed', promoted_at = now()
     where id = (select w.id from app.activity_signups w where w.activity_id = a.id and w.status = 'waitlisted'
                  order by w.waitlist_seq limit 1)
    returning profile_id into v_promoted;
    if v_promoted is null then
      update app.activities set seats_taken = seats_taken - 1 where id = a.id;
    end if;
  end if;
  perform app.audit(a.community_id, 'activity.cancel', 'activity', a.id::text, jsonb_build_object('promoted', v_promoted));
  return jsonb_build_object('activityId', a.id, 'status', 'cancelled', 'promotedSomeone', v_promoted is not null);
end
$$;

-- The organiser's rotating code (and what its QR code carries).
create function public.get_checkin_code(p_activity_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  a app.activities;
  v_window bigint := app.checkin_window();
  v_code text;
begin
  perform app.require_uid();
  select * into a from app.activities where id = p_activity_id;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  if not app.can_organize(a.id) then
    perform app.fail('core.forbidden');
  end if;
  v_code := app.checkin_code(a.code_secret, v_window);
  return jsonb_build_object('code', v_code, 'qr', 'cunju:checkin:' || a.id || ':' || v_code,
                            'expiresAt', to_timestamp((v_window + 1) * 45), 'windowSeconds', 45);
end
$$;

-- Check in or out with the code on the organiser's phone.
create function public.check_in_activity(p_activity_id uuid, p_code text, p_direction text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  a app.activities;
  s app.activity_signups;
  v_window bigint := app.checkin_window();
begin
  select * into a from app.activities where id = p_activity_id;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  if p_code is null or p_code not in (app.checkin_code(a.code_secret, v_window), app.checkin_code(a.code_secret, v_window - 1)) then
    perform app.fail('volunteer.code_invalid');
  end if;
  if now() < a.starts_at - interval '30 minutes' or now() > a.ends_at + interval '1 hour' or a.status <> 'open' then
    perform app.fail('volunteer.not_during_activity');
  end if;
  select * into s from app.activity_signups where activity_id = a.id and profile_id = v_uid and status = 'confirmed' for update;
  if s.id is null then
    perform app.fail('volunteer.not_signed_up');
  end if;
  if p_direction = 'in' then
    update app.activity_signups set checked_in_at = coalesce(checked_in_at, now()) where id = s.id returning * into s;
  elsif p_direction = 'out' then
    if s.checked_in_at is null then
      perform app.fail('volunteer.not_checked_in');
    end if;
    update app.activity_signups set checked_out_at = now() where id = s.id returning * into s;
  else
    perform app.fail('core.invalid_input', 'direction');
  end if;
  return jsonb_build_object('activityId', a.id, 'checkedInAt', s.checked_in_at, 'checkedOutAt', s.checked_out_at);
end
$$;

create function app.presence_minutes(a app.activities, s app.activity_signups) returns integer
language sql stable set search_path = '' as $$
  select case
    when s.checked_in_at is null or s.checked_out_at is null then 0
    else greatest(0, floor(extract(epoch from (least(s.checked_out_at, a.ends_at) - greatest(s.checked_in_at, a.starts_at))) / 60))::integer
  end;
$$;

create function app.points_for(a app.activities, p_minutes integer) returns integer
language sql immutable set search_path = '' as $$
  select case when p_minutes < a.min_presence_minutes then 0 else (p_minutes * a.points_per_hour) / 60 end;
$$;

-- The organiser confirms attendance once the activity has begun: minutes from presence, points credited once.
create function public.confirm_activity(p_activity_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  a app.activities;
  s app.activity_signups;
  v_minutes integer;
  v_points integer;
  v_credited integer := 0;
begin
  perform app.require_uid();
  select * into a from app.activities where id = p_activity_id for update;
  if a.id is null or not app.can_see_activity(a.id) then
    perform app.fail('volunteer.activity_not_found');
  end if;
  if not app.can_organize(a.id) then
    perform app.fail('core.forbidden');
  end if;
  if now() < a.starts_at then
    perform app.fail('volunteer.not_started');
  end if;
  for s in select * from app.activity_signups where activity_id = a.id and status = 'confirmed' and confirmed_at is null for update loop
    v_minutes := app.presence_minutes(a, s);
    v_points := app.points_for(a, v_minutes);
    update app.activity_signups set minutes = v_minutes, points = v_points, confirmed_by = (select auth.uid()), confirmed_at = now()
     where id = s.id;
    if v_points > 0 then
      perform app.post_points(s.profile_id, a.community_id, v_points, 'service',
                              left('志愿服务：' || a.title || '（' || v_minutes || ' 分钟）', 200), 'activity:' || a.id,
                              'activity:' || a.id);
      v_credited := v_credited + v_points;
    end if;
  end loop;
  update app.activities set status = 'confirmed', confirmed_at = coalesce(confirmed_at, now()) where id = a.id;
  perform app.audit(a.community_id, 'activity.confirm', 'activity', a.id::text, jsonb_build_object('points', v_credited));
  return public.get_activity(a.id);
end
$$;

-- Correct one person's minutes with a reason: the difference in points is a new ledger entry.
create function public.correct_attendance(p_signup_id uuid, p_minutes integer, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  s app.activity_signups;
  a app.activities;
  v_points integer;
begin
  perform app.require_uid();
  select * into s from app.activity_signups where id = p_signup_id for update;
  if s.id is null or not app.can_organize(s.activity_id) then
    perform app.fail('core.forbidden');
  end if;
  select * into a from app.activities where id = s.activity_id;
  if s.confirmed_at is null then
    perform app.fail('volunteer.not_confirmed');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  if p_minutes is null or p_minutes < 0 or p_minutes > extract(epoch from (a.ends_at - a.starts_at)) / 60 then
    perform app.fail('volunteer.minutes_out_of_range');
  end if;
  v_points := app.points_for(a, p_minutes);
  if v_points <> coalesce(s.points, 0) then
    perform app.post_points(s.profile_id, a.community_id, v_points - coalesce(s.points, 0), 'correction',
                            left('时长更正：' || btrim(p_reason), 200), 'activity:' || a.id,
                            'correction:' || s.id || ':' || coalesce(s.points, 0) || '->' || v_points);
  end if;
  update app.activity_signups set minutes = p_minutes, points = v_points, correction_reason = btrim(p_reason) where id = s.id;
  perform app.audit(a.community_id, 'activity.correct', 'activity_signup', s.id::text,
                    jsonb_build_object('minutes', p_minutes, 'reason', p_reason), s.profile_id);
  return public.get_activity(a.id);
end
$$;

-- ---------------------------------------------------------------- points

-- My points; without a community, the first community where I am a resident.
create function public.get_my_points(p_community_id uuid default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare v_community uuid := coalesce(p_community_id, (
  select m.community_id from app.memberships m where m.profile_id = (select auth.uid()) and m.role = 'resident'
   order by m.created_at limit 1));
begin
  perform app.require_uid();
  return jsonb_build_object('communityId', v_community) || app.points_summary((select auth.uid()), v_community) || jsonb_build_object(
    'entries', (select coalesce(jsonb_agg(jsonb_build_object(
                  'id', e.id, 'delta', e.delta, 'kind', e.kind, 'reason', e.reason, 'month', to_char(e.month, 'YYYY-MM'),
                  'createdAt', e.created_at) order by e.id desc), '[]'::jsonb)
                  from (select * from app.point_entries x where x.profile_id = (select auth.uid()) and x.community_id = v_community
                         order by x.id desc limit 200) e));
end
$$;

create function public.award_points(p_profile_id uuid, p_community_id uuid, p_points integer, p_reason text, p_idempotency_key text)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare e app.point_entries;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if not app.has_role_of(p_profile_id, p_community_id, '{resident}') then
    perform app.fail('volunteer.resident_required');
  end if;
  if p_points is null or p_points not between 1 and 1000 or char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.invalid_input');
  end if;
  e := app.post_points(p_profile_id, p_community_id, p_points, 'award', btrim(p_reason), null, 'award:' || p_idempotency_key);
  perform app.audit(p_community_id, 'points.award', 'point_entry', e.id::text, jsonb_build_object('points', p_points, 'reason', p_reason), p_profile_id);
  return jsonb_build_object('entryId', e.id, 'delta', e.delta);
end
$$;

create function app.has_role_of(p_profile uuid, p_community uuid, p_roles app.role[]) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.memberships m where m.profile_id = p_profile and m.community_id = p_community and m.role = any (p_roles));
$$;

create function public.request_point_deduction(p_profile_id uuid, p_community_id uuid, p_points integer, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare r app.point_deduction_requests;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  insert into app.point_deduction_requests (community_id, profile_id, points, reason, requested_by)
  values (p_community_id, p_profile_id, p_points, btrim(p_reason), (select auth.uid())) returning * into r;
  perform app.audit(p_community_id, 'points.deduction_request', 'point_deduction', r.id::text,
                    jsonb_build_object('points', p_points, 'reason', p_reason), p_profile_id);
  return jsonb_build_object('id', r.id, 'status', r.status);
exception
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- The second committee member approves (the entry is written) or rejects.
create function public.decide_point_deduction(p_request_id uuid, p_approve boolean) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  r app.point_deduction_requests;
  e app.point_entries;
begin
  perform app.require_uid();
  select * into r from app.point_deduction_requests where id = p_request_id for update;
  if r.id is null or not app.has_role(r.community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if r.status <> 'pending' then
    perform app.fail('points.deduction_decided');
  end if;
  if r.requested_by = (select auth.uid()) then
    perform app.fail('points.second_approver_required');
  end if;
  if p_approve then
    e := app.post_points(r.profile_id, r.community_id, -r.points, 'deduction', r.reason, 'deduction:' || r.id,
                         'deduction:' || r.id, (select auth.uid()), null, r.requested_by);
  end if;
  update app.point_deduction_requests set status = case when p_approve then 'approved' else 'rejected' end,
         decided_by = (select auth.uid()), decided_at = now(), entry_id = e.id
   where id = r.id returning * into r;
  perform app.audit(r.community_id, 'points.deduction_' || r.status, 'point_deduction', r.id::text, '{}'::jsonb, r.profile_id);
  return jsonb_build_object('id', r.id, 'status', r.status, 'entryId', r.entry_id);
end
$$;

create function public.list_point_deductions(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id, 'name', app.masked_name_of(r.profile_id), 'points', r.points, 'reason', r.reason,
           'requestedBy', app.masked_name_of(r.requested_by), 'mine', r.requested_by = (select auth.uid()),
           'status', r.status, 'createdAt', r.created_at) order by r.created_at desc), '[]'::jsonb)
    from app.point_deduction_requests r where r.community_id = p_community_id;
$$;

-- ---------------------------------------------------------------- 积分公示

create function public.publish_points_month(p_community_id uuid, p_month date) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  p app.point_publications;
  v_days integer := app.setting_int(p_community_id, 'pointsObjectionDays', 7);
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if p_month is null or p_month <> date_trunc('month', p_month)::date
     or p_month >= date_trunc('month', now() at time zone 'Asia/Shanghai')::date then
    perform app.fail('points.month_not_over');
  end if;
  insert into app.point_publications (community_id, month, objection_days, published_by, window_closes_at)
  values (p_community_id, p_month, v_days, (select auth.uid()), now() + make_interval(days => v_days))
  on conflict (community_id, month) do nothing
  returning * into p;
  if p.id is null then
    perform app.fail('points.already_published');
  end if;
  perform app.audit(p_community_id, 'points.publish', 'point_publication', p.id::text, jsonb_build_object('month', p_month));
  return public.get_points_publication(p_community_id, p_month);
end
$$;

create function public.list_points_publications(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'month', to_char(p.month, 'YYYY-MM'), 'publishedAt', p.published_at,
           'windowClosesAt', p.window_closes_at, 'open', p.window_closes_at > now()) order by p.month desc), '[]'::jsonb)
    from app.point_publications p where p.community_id = p_community_id;
$$;

-- The published month: every entry with a public name (or masked), and the objections.
create function public.get_points_publication(p_community_id uuid, p_month date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare p app.point_publications;
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}') then
    perform app.fail('points.publication_not_found');
  end if;
  select * into p from app.point_publications where community_id = p_community_id and month = p_month;
  if p.id is null then
    perform app.fail('points.publication_not_found');
  end if;
  return jsonb_build_object(
    'id', p.id, 'month', to_char(p.month, 'YYYY-MM'), 'publishedAt', p.published_at, 'windowClosesAt', p.window_closes_at,
    'open', p.window_closes_at > now(), 'objectionDays', p.objection_days,
    'canResolve', app.has_role(p_community_id, '{committee}'),
    'entries', (select coalesce(jsonb_agg(jsonb_build_object(
                  'id', e.id, 'name', app.display_name_for_public(e.profile_id, e.community_id), 'delta', e.delta,
                  'kind', e.kind, 'reason', e.reason, 'createdAt', e.created_at, 'mine', e.profile_id = (select auth.uid()),
                  'objections', (select coalesce(jsonb_agg(jsonb_build_object(
                                   'id', o.id, 'reason', o.reason, 'status', o.status, 'resolution', o.resolution,
                                   'mine', o.objector_id = (select auth.uid()))), '[]'::jsonb)
                                   from app.point_objections o where o.entry_id = e.id
                                    and (o.objector_id = (select auth.uid()) or app.has_role(p_community_id, '{committee,supervisor,admin}'))))
                  order by e.created_at), '[]'::jsonb)
                  from app.point_entries e where e.community_id = p_community_id and e.month = p.month));
end
$$;

create function public.object_to_points(p_entry_id bigint, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  e app.point_entries;
  p app.point_publications;
  o app.point_objections;
begin
  perform app.require_uid();
  select * into e from app.point_entries where id = p_entry_id;
  if e.id is null or not app.has_role(e.community_id, '{resident}') then
    perform app.fail('points.entry_not_found');
  end if;
  select * into p from app.point_publications where community_id = e.community_id and month = e.month;
  if p.id is null then
    perform app.fail('points.entry_not_found');
  end if;
  if p.window_closes_at <= now() then
    perform app.fail('points.objection_closed');
  end if;
  insert into app.point_objections (publication_id, entry_id, objector_id, reason)
  values (p.id, e.id, (select auth.uid()), btrim(p_reason)) returning * into o;
  perform app.audit(e.community_id, 'points.object', 'point_objection', o.id::text);
  return jsonb_build_object('id', o.id, 'status', o.status);
exception
  when unique_violation then
    perform app.fail('points.objection_exists');
  when check_violation then
    perform app.fail('points.objection_reason_required');
end
$$;

create function public.resolve_points_objection(p_objection_id uuid, p_uphold boolean, p_resolution text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  o app.point_objections;
  e app.point_entries;
begin
  perform app.require_uid();
  select * into o from app.point_objections where id = p_objection_id for update;
  select * into e from app.point_entries where id = o.entry_id;
  if o.id is null or not app.has_role(e.community_id, '{committee}') then
    perform app.fail('core.forbidden');
  end if;
  if o.status <> 'open' then
    perform app.fail('points.objection_decided');
  end if;
  if char_length(btrim(coalesce(p_resolution, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;
  if p_uphold then
    -- The objection was right: reverse the entry (once, whatever the number of objections to it).
    perform app.post_points(e.profile_id, e.community_id, -e.delta, 'objection', left('积分公示异议成立：' || btrim(p_resolution), 200),
                            'objection:' || o.id, 'objection:' || e.id, null, e.id);
  end if;
  update app.point_objections set status = case when p_uphold then 'upheld' else 'dismissed' end,
         resolution = btrim(p_resolution), resolved_by = (select auth.uid()), resolved_at = now()
   where id = o.id returning * into o;
  perform app.audit(e.community_id, 'points.objection_' || o.status, 'point_objection', o.id::text,
                    jsonb_build_object('resolution', p_resolution), e.profile_id);
  return jsonb_build_object('id', o.id, 'status', o.status);
end
$$;

-- Monthly rankings by person (public names or masked) and by team.
create function public.get_points_rankings(p_community_id uuid, p_month date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.has_role(p_community_id, '{resident,committee,clerk,grid_worker,supervisor,admin}') then
    perform app.fail('core.forbidden');
  end if;
  return jsonb_build_object(
    'month', to_char(p_month, 'YYYY-MM'),
    'people', (select coalesce(jsonb_agg(jsonb_build_object('name', app.display_name_for_public(x.profile_id, p_community_id),
                 'points', x.points, 'mine', x.profile_id = (select auth.uid())) order by x.points desc), '[]'::jsonb)
                 from (select e.profile_id, sum(e.delta)::integer as points from app.point_entries e
                        where e.community_id = p_community_id and e.month = p_month and e.kind in ('service', 'award', 'correction', 'objection')
                        group by e.profile_id having sum(e.delta) > 0 order by 2 desc limit 20) x),
    'teams', (select coalesce(jsonb_agg(jsonb_build_object('name', x.name, 'points', x.points) order by x.points desc), '[]'::jsonb)
                from (select t.name, coalesce(sum(e.delta), 0)::integer as points
                        from app.teams t
                        join app.team_members m on m.team_id = t.id and m.status = 'approved'
                        left join app.point_entries e on e.profile_id = m.profile_id and e.community_id = p_community_id
                              and e.month = p_month and e.kind in ('service', 'award', 'correction', 'objection')
                       where t.community_id = p_community_id group by t.id) x));
end
$$;

-- A volunteer's own record, for the printable summary of service hours.
create function public.get_volunteer_record(p_community_id uuid) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'name', (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = (select auth.uid())),
    'community', (select c.name from app.communities c where c.id = p_community_id),
    'totalMinutes', coalesce(sum(s.minutes), 0), 'totalPoints', coalesce(sum(s.points), 0), 'activities', count(s.id),
    'items', coalesce(jsonb_agg(jsonb_build_object('title', a.title, 'place', a.place, 'startsAt', a.starts_at,
                                                   'minutes', s.minutes, 'points', s.points) order by a.starts_at desc)
                      filter (where s.id is not null), '[]'::jsonb),
    'points', app.points_summary((select auth.uid()), p_community_id))
    from app.activity_signups s join app.activities a on a.id = s.activity_id
   where s.profile_id = (select auth.uid()) and a.community_id = p_community_id and s.confirmed_at is not null;
$$;

-- ---------------------------------------------------------------- 吹哨报到

create function public.blow_whistle(p_community_id uuid, p_title text, p_detail text, p_place text,
                                    p_grid_id uuid default null, p_team_id uuid default null, p_hours integer default 4)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  c app.whistle_calls;
  v_community_name text;
begin
  perform app.require_uid();
  if not (app.has_role(p_community_id, '{committee}')
          or (app.has_role(p_community_id, '{grid_worker}') and p_grid_id is not null and exists (
                select 1 from app.memberships m where m.profile_id = (select auth.uid()) and m.role = 'grid_worker' and m.grid_id = p_grid_id))) then
    perform app.fail('core.forbidden');
  end if;
  insert into app.whistle_calls (community_id, grid_id, team_id, title, detail, place, created_by, closes_at)
  values (p_community_id, p_grid_id, p_team_id, btrim(p_title), coalesce(btrim(p_detail), ''), btrim(p_place), (select auth.uid()),
          now() + make_interval(hours => least(greatest(coalesce(p_hours, 4), 1), 48)))
  returning * into c;
  select name into v_community_name from app.communities where id = p_community_id;
  -- One subscribe message to each subscribed volunteer the call is for.
  with spent as (
    update app.message_subscriptions s set credits = s.credits - 1, updated_at = now()
     where s.community_id = p_community_id and s.topic = 'whistle' and s.credits > 0
       and exists (select 1 from app.volunteer_profiles v where v.profile_id = s.profile_id and v.community_id = p_community_id)
       and (c.grid_id is null or exists (select 1 from app.memberships m join app.households h on h.id = m.household_id
                                          join app.buildings b on b.id = h.building_id
                                         where m.profile_id = s.profile_id and m.community_id = p_community_id and b.grid_id = c.grid_id))
       and (c.team_id is null or exists (select 1 from app.team_members tm where tm.team_id = c.team_id and tm.profile_id = s.profile_id and tm.status = 'approved'))
    returning s.profile_id)
  insert into app.outbox (kind, profile_id, dedupe_key, payload)
  select 'wechat_subscribe', spent.profile_id, 'whistle:' || c.id || ':' || spent.profile_id,
         jsonb_build_object('template', 'whistle', 'page', 'packages/volunteer/whistle/index?id=' || c.id,
                            'title', c.title, 'community', v_community_name, 'category', 'whistle', 'publishedAt', c.created_at)
    from spent on conflict (dedupe_key) do nothing;
  perform app.audit(p_community_id, 'whistle.blow', 'whistle_call', c.id::text);
  return jsonb_build_object('id', c.id, 'closesAt', c.closes_at);
exception
  when check_violation or foreign_key_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.list_whistle_calls(p_community_id uuid) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', c.id, 'title', c.title, 'detail', c.detail, 'place', c.place, 'createdAt', c.created_at, 'closesAt', c.closes_at,
           'open', c.closes_at > now(), 'caller', app.masked_name_of(c.created_by),
           'responded', exists (select 1 from app.whistle_responses r where r.call_id = c.id and r.profile_id = (select auth.uid())),
           'responders', case when c.created_by = (select auth.uid()) or app.has_role(c.community_id, '{committee,grid_worker,admin}') then
                           (select coalesce(jsonb_agg(jsonb_build_object('name', (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = r.profile_id),
                                                                        'etaMinutes', r.eta_minutes, 'respondedAt', r.responded_at) order by r.responded_at), '[]'::jsonb)
                              from app.whistle_responses r where r.call_id = c.id) end,
           'responseCount', (select count(*) from app.whistle_responses r where r.call_id = c.id))
         order by c.created_at desc), '[]'::jsonb)
    from app.whistle_calls c where c.community_id = p_community_id and c.closes_at > now() - interval '1 day';
$$;

create function public.respond_whistle(p_call_id uuid, p_eta_minutes integer default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare c app.whistle_calls;
begin
  perform app.require_uid();
  select * into c from app.whistle_calls where id = p_call_id;
  if c.id is null or not app.is_volunteer(c.community_id)
     or (c.grid_id is not null and app.my_grid(c.community_id) is distinct from c.grid_id)
     or (c.team_id is not null and not exists (select 1 from app.team_members m where m.team_id = c.team_id
                                                  and m.profile_id = (select auth.uid()) and m.status = 'approved')) then
    perform app.fail('volunteer.call_not_found');
  end if;
  if c.closes_at <= now() then
    perform app.fail('volunteer.call_closed');
  end if;
  insert into app.whistle_responses (call_id, profile_id, eta_minutes) values (c.id, (select auth.uid()), p_eta_minutes)
  on conflict (call_id, profile_id) do update set eta_minutes = excluded.eta_minutes;
  perform app.audit(c.community_id, 'whistle.respond', 'whistle_call', c.id::text);
  return jsonb_build_object('callId', c.id, 'responded', true);
end
$$;

create function public.subscribe_whistle(p_community_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v_credits integer;
begin
  perform app.require_uid();
  if not app.is_volunteer(p_community_id) then
    perform app.fail('volunteer.profile_required');
  end if;
  insert into app.message_subscriptions as s (profile_id, community_id, topic, credits)
  values ((select auth.uid()), p_community_id, 'whistle', 1)
  on conflict (profile_id, community_id, topic) do update set credits = least(s.credits + 1, 1000), updated_at = now()
  returning credits into v_credits;
  return jsonb_build_object('topic', 'whistle', 'credits', v_credits);
end
$$;

-- ---------------------------------------------------------------- grants

revoke execute on all functions in schema public from public, anon;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to authenticated, service_role;
revoke execute on function app.post_points(uuid, uuid, integer, text, text, text, text, uuid, bigint, uuid),
  app.spend_points(uuid, uuid, integer, text, text, text, text) from authenticated;
grant execute on function public.register_volunteer(uuid, text[], text, boolean), public.get_volunteer_profile(uuid),
  public.request_team_join(uuid), public.decide_team_join(uuid, uuid, boolean, text),
  public.create_activity(uuid, text, text, text, timestamptz, timestamptz, integer, integer, integer, boolean, text[], integer, uuid, uuid),
  public.list_activities(uuid, text), public.get_activity(uuid), public.sign_up_activity(uuid, text), public.cancel_signup(uuid),
  public.get_checkin_code(uuid), public.check_in_activity(uuid, text, text), public.confirm_activity(uuid),
  public.correct_attendance(uuid, integer, text), public.get_my_points(uuid),
  public.award_points(uuid, uuid, integer, text, text), public.request_point_deduction(uuid, uuid, integer, text),
  public.decide_point_deduction(uuid, boolean), public.list_point_deductions(uuid), public.publish_points_month(uuid, date),
  public.list_points_publications(uuid), public.get_points_publication(uuid, date), public.object_to_points(bigint, text),
  public.resolve_points_objection(uuid, boolean, text), public.get_points_rankings(uuid, date), public.get_volunteer_record(uuid),
  public.blow_whistle(uuid, text, text, text, uuid, uuid, integer), public.list_whistle_calls(uuid),
  public.respond_whistle(uuid, integer), public.subscribe_whistle(uuid)
  to authenticated;
