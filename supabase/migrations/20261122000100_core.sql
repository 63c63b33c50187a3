-- Core: the community hierarchy, people, roles, resident verification, consent and the audit log.
--
-- Hierarchy: 乡镇/街道 (app.streets) → 村/社区 (app.communities, the tenant) → 网格 (app.grids)
--            → 楼栋/院落/村民小组 (app.buildings) → 户 (app.households).
-- Rules enforced here:
--   * roles are held per community (app.memberships); a street admin is admin of every community under it;
--     every permission check goes through app.has_role(community, roles);
--   * a person becomes a verified resident only when a committee member of that community, or the grid
--     worker of that building's grid, approves their request; a refusal needs a reason;
--   * a phone number is stored only after the person consented to it separately (个人信息保护法);
--     others only ever see it masked;
--   * consents and the audit log are append-only; every write function appends to the audit log;
--   * residents have no write grant on any table: writes are security definer functions below.

create schema if not exists app;
grant usage on schema app to authenticated, service_role;

-- Supabase grants execute on new public functions to anon and authenticated by default, and Postgres
-- to PUBLIC; every migration revokes those and grants each function explicitly instead.
alter default privileges in schema public revoke execute on functions from anon, authenticated;

create type app.role as enum ('resident', 'grid_worker', 'clerk', 'committee', 'supervisor', 'admin');
create type app.community_kind as enum ('community', 'village');
create type app.verification_status as enum ('pending', 'approved', 'refused', 'withdrawn');

-- ---------------------------------------------------------------- helpers without table access

create function app.mask_phone(p_phone text) returns text
language sql immutable set search_path = '' as $$
  select case when p_phone is null then null
              when length(p_phone) >= 7 then left(p_phone, 3) || '****' || right(p_phone, 4)
              else '****' end;
$$;

create function app.mask_name(p_name text) returns text
language sql immutable set search_path = '' as $$
  select case when p_name is null or p_name = '' then null
              when char_length(p_name) = 1 then p_name
              when char_length(p_name) = 2 then left(p_name, 1) || '*'
              else left(p_name, 1) || repeat('*', char_length(p_name) - 2) || right(p_name, 1) end;
$$;

-- Raise a stable error key; the API maps it to an HTTP status and a Chinese message.
create function app.fail(p_key text, p_detail text default null) returns void
language plpgsql immutable set search_path = '' as $$
begin
  raise exception using errcode = 'P0001', message = p_key, detail = coalesce(p_detail, '');
end
$$;

create function app.require_uid() returns uuid
language plpgsql stable set search_path = '' as $$
declare v uuid := (select auth.uid());
begin
  if v is null then
    perform app.fail('auth.required');
  end if;
  return v;
end
$$;

-- Append-only tables refuse updates and deletes, whoever asks.
create function app.forbid_change() returns trigger
language plpgsql set search_path = '' as $$
begin
  raise exception using errcode = 'P0001', message = 'core.append_only',
    detail = tg_table_schema || '.' || tg_table_name;
end
$$;

-- ---------------------------------------------------------------- hierarchy

create table app.streets (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 2 and 40),
  kind text not null check (kind in ('street', 'town')),
  county text not null check (char_length(county) between 2 and 40),
  created_at timestamptz not null default now(),
  unique (county, name)
);
comment on table app.streets is '乡镇/街道: the level above communities; its admins see every community under it.';

create table app.communities (
  id uuid primary key default gen_random_uuid(),
  street_id uuid not null references app.streets (id),
  name text not null check (char_length(name) between 2 and 40),
  kind app.community_kind not null,
  address text not null default '',
  service_phone text not null default '',
  service_hours text not null default '',
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  unique (street_id, name)
);
comment on table app.communities is '村/社区: the tenant. Every role, record and rule is scoped to one community.';
create index communities_street_idx on app.communities (street_id);

create table app.grids (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  name text not null check (char_length(name) between 2 and 40),
  description text not null default '',
  created_at timestamptz not null default now(),
  unique (community_id, name),
  unique (id, community_id)
);
comment on table app.grids is '网格: the unit a grid worker looks after.';
create index grids_community_idx on app.grids (community_id);

create table app.buildings (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null,
  grid_id uuid not null,
  name text not null check (char_length(name) between 1 and 40),
  created_at timestamptz not null default now(),
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  unique (grid_id, name),
  unique (id, community_id)
);
comment on table app.buildings is '楼栋/院落 (in a village: 村民小组/自然村).';
create index buildings_community_idx on app.buildings (community_id);

create table app.households (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null,
  building_id uuid not null,
  room text not null check (char_length(room) between 1 and 40),
  created_at timestamptz not null default now(),
  foreign key (building_id, community_id) references app.buildings (id, community_id),
  unique (building_id, room),
  unique (id, community_id)
);
comment on table app.households is '户: one dwelling; residents are linked to it when their verification is approved.';
create index households_community_idx on app.households (community_id);

-- ---------------------------------------------------------------- people and roles

create table app.profiles (
  id uuid primary key default gen_random_uuid(),
  wechat_openid text unique,
  wechat_unionid text,
  persona text unique,
  display_name text not null default '微信用户' check (char_length(display_name) between 1 and 40),
  real_name text check (real_name is null or char_length(real_name) between 2 and 20),
  phone text check (phone is null or phone ~ '^1[3-9][0-9]{9}$'),
  phone_masked text generated always as (app.mask_phone(phone)) stored,
  created_at timestamptz not null default now(),
  last_login_at timestamptz
);
comment on table app.profiles is 'A person using the app. openid, unionid and the full phone number are never readable by other people.';

create table app.street_admins (
  profile_id uuid not null references app.profiles (id),
  street_id uuid not null references app.streets (id),
  created_at timestamptz not null default now(),
  primary key (profile_id, street_id)
);
comment on table app.street_admins is 'Street/town operators: admin of every community under the street.';
create index street_admins_street_idx on app.street_admins (street_id);

create table app.memberships (
  id uuid primary key default gen_random_uuid(),
  profile_id uuid not null references app.profiles (id),
  community_id uuid not null references app.communities (id),
  role app.role not null,
  household_id uuid,
  grid_id uuid,
  title text not null default '',
  created_at timestamptz not null default now(),
  created_by uuid references app.profiles (id),
  foreign key (household_id, community_id) references app.households (id, community_id),
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  check (household_id is null or role = 'resident'),
  check (grid_id is null or role = 'grid_worker'),
  unique nulls not distinct (profile_id, community_id, role, grid_id)
);
comment on table app.memberships is 'Who holds which role in which community; residents carry their household, grid workers their grid.';
create index memberships_profile_idx on app.memberships (profile_id, community_id);
create index memberships_community_role_idx on app.memberships (community_id, role);
create index memberships_household_idx on app.memberships (household_id);
create index memberships_grid_idx on app.memberships (grid_id);

-- The one role check used everywhere.
create function app.has_role(p_community uuid, p_roles app.role[]) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
           select 1 from app.memberships m
            where m.community_id = p_community
              and m.profile_id = (select auth.uid())
              and m.role = any (p_roles))
      or ('admin' = any (p_roles) and exists (
           select 1 from app.street_admins sa
             join app.communities c on c.street_id = sa.street_id
            where c.id = p_community
              and sa.profile_id = (select auth.uid())));
$$;
comment on function app.has_role is 'True when the caller holds one of the roles in the community (street admins count as admin).';

-- Grid workers act on the buildings of their own grid(s) only.
create function app.is_grid_worker_of_building(p_building uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from app.memberships m
      join app.buildings b on b.grid_id = m.grid_id
     where b.id = p_building
       and m.role = 'grid_worker'
       and m.profile_id = (select auth.uid()));
$$;

-- ---------------------------------------------------------------- verification

create table app.verification_requests (
  id uuid primary key default gen_random_uuid(),
  profile_id uuid not null references app.profiles (id),
  community_id uuid not null,
  building_id uuid not null,
  room text not null check (char_length(room) between 1 and 40),
  real_name text not null check (char_length(real_name) between 2 and 20),
  relation text not null check (relation in ('户主', '配偶', '子女', '父母', '其他亲属', '租户')),
  phone text check (phone is null or phone ~ '^1[3-9][0-9]{9}$'),
  phone_masked text generated always as (app.mask_phone(phone)) stored,
  note text not null default '' check (char_length(note) <= 200),
  status app.verification_status not null default 'pending',
  decided_by uuid references app.profiles (id),
  decided_at timestamptz,
  decision_reason text,
  household_id uuid references app.households (id),
  created_at timestamptz not null default now(),
  foreign key (building_id, community_id) references app.buildings (id, community_id),
  check (status <> 'refused' or char_length(btrim(coalesce(decision_reason, ''))) >= 2),
  check ((status in ('pending', 'withdrawn')) = (decided_at is null))
);
comment on table app.verification_requests is '居民认证: a person asks to join a community and household; staff approve or refuse with a reason.';
create unique index verification_one_pending_idx on app.verification_requests (profile_id, community_id)
  where status = 'pending';
create index verification_community_status_idx on app.verification_requests (community_id, status, created_at);
create index verification_building_idx on app.verification_requests (building_id);
create index verification_decided_by_idx on app.verification_requests (decided_by);
create index verification_household_idx on app.verification_requests (household_id);

-- ---------------------------------------------------------------- consent

create table app.consents (
  id uuid primary key default gen_random_uuid(),
  profile_id uuid not null references app.profiles (id),
  purpose text not null check (purpose in ('privacy_policy', 'phone_number', 'public_name')),
  version text not null check (char_length(version) between 1 and 40),
  granted boolean not null,
  created_at timestamptz not null default now()
);
comment on table app.consents is 'Consent records, append-only: what was agreed or withdrawn, when, and which version of the text.';
create index consents_profile_idx on app.consents (profile_id, purpose, created_at desc);
create trigger consents_append_only before update or delete on app.consents
  for each row execute function app.forbid_change();

-- Latest decision per purpose for the caller.
create function app.has_consent(p_profile uuid, p_purpose text) returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select c.granted from app.consents c
                    where c.profile_id = p_profile and c.purpose = p_purpose
                    order by c.created_at desc, c.id desc limit 1), false);
$$;

-- ---------------------------------------------------------------- audit log

create table app.audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  actor_id uuid references app.profiles (id),
  on_behalf_of uuid references app.profiles (id),
  community_id uuid references app.communities (id),
  action text not null,
  entity text not null,
  entity_id text,
  detail jsonb not null default '{}'::jsonb
);
comment on table app.audit_log is 'Who did what to which record, when and why. Append-only; supervisors and admins of the community read it.';
create index audit_log_community_at_idx on app.audit_log (community_id, at desc);
create index audit_log_actor_idx on app.audit_log (actor_id);
create index audit_log_on_behalf_idx on app.audit_log (on_behalf_of);
create trigger audit_log_append_only before update or delete on app.audit_log
  for each row execute function app.forbid_change();

create function app.audit(p_community uuid, p_action text, p_entity text, p_entity_id text,
                          p_detail jsonb default '{}'::jsonb, p_on_behalf_of uuid default null)
returns void language sql volatile security definer set search_path = '' as $$
  insert into app.audit_log (actor_id, on_behalf_of, community_id, action, entity, entity_id, detail)
  values ((select auth.uid()), p_on_behalf_of, p_community, p_action, p_entity, p_entity_id,
          coalesce(p_detail, '{}'::jsonb));
$$;

-- ---------------------------------------------------------------- rate limits

create table app.rate_limits (
  bucket text not null,
  window_start timestamptz not null,
  hits integer not null default 0 check (hits >= 0),
  primary key (bucket, window_start)
);
comment on table app.rate_limits is 'Fixed-window request counters shared by every API instance (serverless functions keep no memory).';

-- ---------------------------------------------------------------- RLS

alter table app.streets enable row level security;
alter table app.communities enable row level security;
alter table app.grids enable row level security;
alter table app.buildings enable row level security;
alter table app.households enable row level security;
alter table app.profiles enable row level security;
alter table app.street_admins enable row level security;
alter table app.memberships enable row level security;
alter table app.verification_requests enable row level security;
alter table app.consents enable row level security;
alter table app.audit_log enable row level security;
alter table app.rate_limits enable row level security;

-- The hierarchy is public information for signed-in people (they pick their community and building).
grant select on app.streets, app.communities, app.grids, app.buildings to authenticated;
create policy "Signed-in people read streets" on app.streets for select to authenticated using (true);
create policy "Signed-in people read communities" on app.communities for select to authenticated using (true);
create policy "Signed-in people read grids" on app.grids for select to authenticated using (true);
create policy "Signed-in people read buildings" on app.buildings for select to authenticated using (true);

grant select on app.households to authenticated;
create policy "Members and staff read households of their community" on app.households
  for select to authenticated
  using (app.has_role(community_id, '{committee,grid_worker,clerk,supervisor,admin}')
         or exists (select 1 from app.memberships m
                     where m.household_id = households.id and m.profile_id = (select auth.uid())));

-- Column grants keep openid, unionid, persona and the full phone number away from every reader.
grant select (id, display_name, real_name, phone_masked, created_at) on app.profiles to authenticated;
create policy "People read their own profile" on app.profiles
  for select to authenticated using (id = (select auth.uid()));
create policy "Staff read profiles of their community's members" on app.profiles
  for select to authenticated
  using (exists (select 1 from app.memberships m
                  where m.profile_id = profiles.id
                    and app.has_role(m.community_id, '{committee,grid_worker,clerk,supervisor,admin}')));

grant select on app.street_admins to authenticated;
create policy "Admins read their own street assignments" on app.street_admins
  for select to authenticated using (profile_id = (select auth.uid()));

grant select on app.memberships to authenticated;
create policy "People read their own memberships" on app.memberships
  for select to authenticated using (profile_id = (select auth.uid()));
create policy "Staff read memberships of their community" on app.memberships
  for select to authenticated
  using (app.has_role(community_id, '{committee,grid_worker,clerk,supervisor,admin}'));

grant select (id, profile_id, community_id, building_id, room, real_name, relation, phone_masked, note,
              status, decided_by, decided_at, decision_reason, household_id, created_at)
  on app.verification_requests to authenticated;
create policy "People read their own verification requests" on app.verification_requests
  for select to authenticated using (profile_id = (select auth.uid()));
create policy "Committee and admins read their community's requests" on app.verification_requests
  for select to authenticated using (app.has_role(community_id, '{committee,admin}'));
create policy "Grid workers read requests for their grid" on app.verification_requests
  for select to authenticated using (app.is_grid_worker_of_building(building_id));

grant select on app.consents to authenticated;
create policy "People read their own consents" on app.consents
  for select to authenticated using (profile_id = (select auth.uid()));

grant select on app.audit_log to authenticated;
create policy "Supervisors and admins read their community's audit log" on app.audit_log
  for select to authenticated using (app.has_role(community_id, '{supervisor,admin}'));

-- rate_limits: RLS on and no policy: only public.hit_rate_limit (security definer) touches it.

grant all on all tables in schema app to service_role;

-- ---------------------------------------------------------------- API functions: auth (service role only)

create function app.profile_json(p app.profiles) returns jsonb
language sql stable set search_path = '' as $$
  select jsonb_build_object('id', p.id, 'displayName', p.display_name, 'realName', p.real_name,
                            'phoneMasked', p.phone_masked);
$$;

create function public.upsert_wechat_profile(p_openid text, p_unionid text default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v app.profiles;
begin
  if p_openid is null or char_length(p_openid) not between 6 and 64 then
    perform app.fail('core.invalid_input', 'openid');
  end if;
  insert into app.profiles as p (wechat_openid, wechat_unionid, last_login_at)
  values (p_openid, p_unionid, now())
  on conflict (wechat_openid) do update
     set last_login_at = now(), wechat_unionid = coalesce(excluded.wechat_unionid, p.wechat_unionid)
  returning * into v;
  return app.profile_json(v);
end
$$;

create function public.dev_login_profile(p_persona text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare v app.profiles;
begin
  update app.profiles set last_login_at = now() where persona = p_persona returning * into v;
  if v.id is null then
    perform app.fail('auth.unknown_persona');
  end if;
  return app.profile_json(v);
end
$$;

create function public.list_dev_personas() returns jsonb
language sql stable security definer set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'persona', p.persona, 'name', coalesce(p.real_name, p.display_name),
           'roles', (select coalesce(jsonb_agg(distinct m.role::text), '[]'::jsonb)
                       from app.memberships m where m.profile_id = p.id)
                    || case when exists (select 1 from app.street_admins sa where sa.profile_id = p.id)
                            then '["admin"]'::jsonb else '[]'::jsonb end,
           'community', coalesce(
              (select c.name from app.memberships m join app.communities c on c.id = m.community_id
                where m.profile_id = p.id order by m.created_at limit 1),
              (select s.name from app.street_admins sa join app.streets s on s.id = sa.street_id
                where sa.profile_id = p.id limit 1)))
         order by p.persona), '[]'::jsonb)
    from app.profiles p where p.persona is not null;
$$;

create function public.hit_rate_limit(p_bucket text, p_limit integer, p_window_seconds integer) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_window timestamptz := to_timestamp(floor(extract(epoch from now()) / p_window_seconds) * p_window_seconds);
  v_hits integer;
begin
  insert into app.rate_limits as r (bucket, window_start, hits) values (p_bucket, v_window, 1)
  on conflict (bucket, window_start) do update set hits = r.hits + 1
  returning hits into v_hits;
  -- Keep the table small: windows of this bucket that are long over are of no use.
  delete from app.rate_limits where bucket = p_bucket and window_start < v_window - interval '1 day';
  return jsonb_build_object('allowed', v_hits <= p_limit, 'remaining', greatest(p_limit - v_hits, 0),
                            'retryAfter', ceil(extract(epoch from (v_window + make_interval(secs => p_window_seconds) - now()))));
end
$$;

-- ---------------------------------------------------------------- API functions: me

-- Who am I: profile (own phone in full), roles per community, verification and consent state.
create function public.get_me() returns jsonb
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

create function public.record_consent(p_purpose text, p_version text, p_granted boolean) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v app.consents;
begin
  if p_purpose not in ('privacy_policy', 'phone_number', 'public_name') then
    perform app.fail('core.invalid_input', 'purpose');
  end if;
  insert into app.consents (profile_id, purpose, version, granted)
  values (v_uid, p_purpose, p_version, p_granted) returning * into v;
  -- Withdrawing consent to the phone number removes the number we hold.
  if p_purpose = 'phone_number' and not p_granted then
    update app.profiles set phone = null where id = v_uid;
    update app.verification_requests set phone = null where profile_id = v_uid;
  end if;
  perform app.audit(null, case when p_granted then 'consent.grant' else 'consent.withdraw' end,
                    'consent', v.id::text, jsonb_build_object('purpose', p_purpose, 'version', p_version));
  return jsonb_build_object('purpose', v.purpose, 'version', v.version, 'granted', v.granted, 'at', v.created_at);
end
$$;

-- The hierarchy for pickers (security invoker: reads through RLS).
create function public.list_communities() returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', c.id, 'name', c.name, 'kind', c.kind, 'streetName', s.name, 'address', c.address,
           'grids', (select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name) order by g.name), '[]'::jsonb)
                       from app.grids g where g.community_id = c.id),
           'buildings', (select coalesce(jsonb_agg(jsonb_build_object('id', b.id, 'name', b.name, 'gridName', g.name)
                                                   order by g.name, b.name), '[]'::jsonb)
                           from app.buildings b join app.grids g on g.id = b.grid_id
                          where b.community_id = c.id))
         order by s.name, c.name), '[]'::jsonb)
    from app.communities c join app.streets s on s.id = c.street_id;
$$;

create function public.request_verification(p_community_id uuid, p_building_id uuid, p_room text,
                                            p_real_name text, p_relation text, p_phone text default null,
                                            p_note text default '') returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v app.verification_requests;
begin
  if not exists (select 1 from app.buildings b where b.id = p_building_id and b.community_id = p_community_id) then
    perform app.fail('core.building_not_found');
  end if;
  if exists (select 1 from app.memberships m
              where m.profile_id = v_uid and m.community_id = p_community_id and m.role = 'resident') then
    perform app.fail('core.already_verified');
  end if;
  if exists (select 1 from app.verification_requests r
              where r.profile_id = v_uid and r.community_id = p_community_id and r.status = 'pending') then
    perform app.fail('core.verification_pending');
  end if;
  if p_phone is not null and not app.has_consent(v_uid, 'phone_number') then
    perform app.fail('core.consent_required', 'phone_number');
  end if;
  insert into app.verification_requests (profile_id, community_id, building_id, room, real_name, relation, phone, note)
  values (v_uid, p_community_id, p_building_id, btrim(p_room), btrim(p_real_name), p_relation, p_phone,
          coalesce(btrim(p_note), ''))
  returning * into v;
  perform app.audit(p_community_id, 'verification.request', 'verification_request', v.id::text);
  return jsonb_build_object('id', v.id, 'status', v.status, 'createdAt', v.created_at);
exception
  when unique_violation then
    perform app.fail('core.verification_pending');
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.withdraw_verification(p_request_id uuid) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v app.verification_requests;
begin
  update app.verification_requests set status = 'withdrawn'
   where id = p_request_id and profile_id = v_uid and status = 'pending'
  returning * into v;
  if v.id is null then
    perform app.fail('core.verification_not_found');
  end if;
  perform app.audit(v.community_id, 'verification.withdraw', 'verification_request', v.id::text);
  return jsonb_build_object('id', v.id, 'status', v.status);
end
$$;

-- Approve or refuse. Committee and admins of the community, or the grid worker of the building's grid.
create function public.decide_verification(p_request_id uuid, p_approve boolean, p_reason text default null)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v app.verification_requests;
  v_household uuid;
begin
  select * into v from app.verification_requests where id = p_request_id for update;
  if v.id is null then
    perform app.fail('core.verification_not_found');
  end if;
  if not (app.has_role(v.community_id, '{committee,admin}') or app.is_grid_worker_of_building(v.building_id)) then
    -- Someone who cannot see the request learns nothing about it.
    if app.has_role(v.community_id, '{resident,clerk,supervisor,grid_worker}') then
      perform app.fail('core.forbidden');
    end if;
    perform app.fail('core.verification_not_found');
  end if;
  if v.status <> 'pending' then
    perform app.fail('core.verification_decided');
  end if;
  if not p_approve and char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('core.reason_required');
  end if;

  if p_approve then
    insert into app.households (community_id, building_id, room)
    values (v.community_id, v.building_id, v.room)
    on conflict (building_id, room) do nothing;
    select h.id into v_household from app.households h where h.building_id = v.building_id and h.room = v.room;
    insert into app.memberships (profile_id, community_id, role, household_id, created_by)
    values (v.profile_id, v.community_id, 'resident', v_household, v_uid)
    on conflict do nothing;
    update app.profiles set real_name = v.real_name, phone = coalesce(v.phone, phone) where id = v.profile_id;
  end if;

  update app.verification_requests
     set status = case when p_approve then 'approved'::app.verification_status else 'refused' end,
         decided_by = v_uid, decided_at = now(), decision_reason = nullif(btrim(coalesce(p_reason, '')), ''),
         household_id = v_household
   where id = v.id
  returning * into v;
  perform app.audit(v.community_id, case when p_approve then 'verification.approve' else 'verification.refuse' end,
                    'verification_request', v.id::text, jsonb_build_object('reason', v.decision_reason),
                    v.profile_id);
  return jsonb_build_object('id', v.id, 'status', v.status, 'reason', v.decision_reason, 'decidedAt', v.decided_at,
                            'householdId', v.household_id);
end
$$;

-- Staff queue (security invoker: RLS decides which requests the caller sees; phones are masked).
create function public.list_verification_requests(p_community_id uuid, p_status text default 'pending')
returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id, 'realName', r.real_name, 'relation', r.relation, 'phoneMasked', r.phone_masked,
           'address', b.name || ' ' || r.room, 'gridName', g.name, 'note', r.note, 'status', r.status,
           'reason', r.decision_reason, 'createdAt', r.created_at, 'decidedAt', r.decided_at)
         order by r.created_at), '[]'::jsonb)
    from app.verification_requests r
    join app.buildings b on b.id = r.building_id
    join app.grids g on g.id = b.grid_id
   where r.community_id = p_community_id
     and (p_status is null or r.status::text = p_status);
$$;

create function public.list_audit_log(p_community_id uuid, p_limit integer default 50) returns jsonb
language sql stable security invoker set search_path = '' as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'at', a.at, 'action', a.action, 'entity', a.entity, 'entityId', a.entity_id,
           'actor', app.mask_name((select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = a.actor_id)),
           'detail', a.detail) order by a.at desc, a.id desc), '[]'::jsonb)
    from (select * from app.audit_log l where l.community_id = p_community_id
           order by l.at desc, l.id desc limit least(greatest(p_limit, 1), 200)) a;
$$;

-- Engine, version and applied migrations for /api/health.
create function public.get_health() returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object(
    'engine', case when exists (select 1 from pg_catalog.pg_roles where rolname = 'supabase_admin')
                   then 'supabase' else 'postgres' end,
    'version', current_setting('server_version'),
    'migrations', (select coalesce(jsonb_agg(m.version order by m.version), '[]'::jsonb)
                     from supabase_migrations.schema_migrations m));
$$;

-- ---------------------------------------------------------------- grants

revoke execute on all functions in schema public from public, anon, authenticated;
revoke execute on all functions in schema app from public;
grant execute on all functions in schema app to authenticated, service_role;
grant execute on function public.upsert_wechat_profile(text, text), public.dev_login_profile(text),
  public.list_dev_personas(), public.hit_rate_limit(text, integer, integer), public.get_health() to service_role;
grant execute on function public.get_me(), public.record_consent(text, text, boolean), public.list_communities(),
  public.request_verification(uuid, uuid, text, text, text, text, text), public.withdraw_verification(uuid),
  public.decide_verification(uuid, boolean, text), public.list_verification_requests(uuid, text),
  public.list_audit_log(uuid, integer) to authenticated;
-- Write helpers run only inside security definer functions.
revoke execute on function app.audit(uuid, text, text, text, jsonb, uuid) from authenticated;
