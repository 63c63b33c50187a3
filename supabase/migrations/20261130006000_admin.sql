-- Setting up a street: communities, grids, buildings and households; imports from the office's
-- spreadsheets with a dry run; staff roles with history; residents moving; dashboards counted from the
-- records.
--
-- Rules enforced here:
--   * only a street's admins create, edit or archive its communities; a community's committee manages its
--     own grids, buildings, households and staff below the committee (clerks, grid workers), never another
--     community's; archived communities and grids keep every record;
--   * an import is validated row by row; a dry run writes nothing; the real run writes in one transaction,
--     serialised per community, and is idempotent (rows already true change nothing);
--   * imported residents are only a roster: nobody becomes a member until they sign in with the same
--     phone number and have agreed to share it (app.claim_invitations); staff granted by a phone number
--     with no account yet are invitations claimed the same way;
--   * every membership that starts or ends is recorded in membership_history (who, role, when, why), by a
--     trigger, whatever the path (verification, grant, move, withdrawal); records made in office stay
--     attributed to the person;
--   * dashboard figures are functions of the records; nothing is typed in.

-- ---------------------------------------------------------------- structure

alter table app.communities add column archived_at timestamptz;
alter table app.grids add column archived_at timestamptz;

create function app.is_street_admin_of(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from app.street_admins sa join app.communities c on c.street_id = sa.street_id
                  where c.id = p_community and sa.profile_id = (select auth.uid()));
$$;

-- Who sets a community up: its street's admins, and its committee (for what is below the committee).
create function app.can_manage(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.is_street_admin_of(p_community) or app.has_role(p_community, '{committee}');
$$;

create function app.community_admin_json(c app.communities) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return jsonb_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'streetId', c.street_id,
    'streetName', (select s.name from app.streets s where s.id = c.street_id), 'address', c.address,
    'servicePhone', c.service_phone, 'serviceHours', c.service_hours, 'archivedAt', c.archived_at, 'createdAt', c.created_at,
    'cosignThreshold', coalesce((select a.cosign_threshold from app.affairs_settings a where a.community_id = c.id), 10),
    'objectionDays', coalesce((c.settings ->> 'objection_days')::integer, 7),
    'grids', (select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name, 'description', g.description, 'archivedAt', g.archived_at,
                'buildings', (select count(*) from app.buildings b where b.grid_id = g.id),
                'households', (select count(*) from app.households h join app.buildings b on b.id = h.building_id where b.grid_id = g.id),
                'workers', (select coalesce(jsonb_agg(app.masked_name_of(m.profile_id)), '[]'::jsonb) from app.memberships m
                             where m.grid_id = g.id and m.role = 'grid_worker')) order by g.name), '[]'::jsonb)
                from (select * from app.grids x where x.community_id = c.id order by x.name limit 200) g),
    'counts', jsonb_build_object(
      'buildings', (select count(*) from app.buildings b where b.community_id = c.id),
      'households', (select count(*) from app.households h where h.community_id = c.id),
      'residents', (select count(*) from app.memberships m where m.community_id = c.id and m.role = 'resident'),
      'pendingRoster', (select count(*) from app.roster_entries r where r.community_id = c.id and r.claimed_at is null)));
end
$$;

-- The communities a street admin runs (all of their streets), or the ones where the caller is committee.
create function public.list_managed_communities(p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'streetName', s.name, 'archivedAt', c.archived_at,
           'mayCreate', false), 'c', app.encode_cursor(array[c.name, c.id::text])) order by c.name, c.id)
    into v_rows
    from (select x.* from app.communities x
           where (exists (select 1 from app.street_admins sa where sa.street_id = x.street_id and sa.profile_id = v_uid)
                  or exists (select 1 from app.memberships m where m.community_id = x.id and m.profile_id = v_uid and m.role = 'committee'))
             and (x.name, x.id) > (cur[1], cur[2]::uuid)
           order by x.name, x.id limit v_limit + 1) c
    join app.streets s on s.id = c.street_id;
  return app.page(v_rows, v_limit);
end
$$;

create function public.get_community_setup(p_community_id uuid) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare c app.communities;
begin
  perform app.require_uid();
  select * into c from app.communities where id = p_community_id;
  if c.id is null or not app.can_manage(c.id) then
    perform app.fail('admin.community_not_found');
  end if;
  return app.community_admin_json(c) || jsonb_build_object('mayEditCommunity', app.is_street_admin_of(c.id));
end
$$;

-- Create (p_community_id null) or edit a community of the admin's street.
create function public.save_community(p_community_id uuid, p_street_id uuid, p_name text, p_kind text, p_address text, p_service_phone text,
                                      p_service_hours text, p_cosign_threshold integer, p_objection_days integer) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  c app.communities;
begin
  if p_community_id is null then
    if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = v_uid) then
      perform app.fail('admin.street_admin_only');
    end if;
    insert into app.communities (street_id, name, kind, address, service_phone, service_hours, settings)
    values (p_street_id, btrim(p_name), p_kind::app.community_kind, coalesce(btrim(p_address), ''), coalesce(btrim(p_service_phone), ''),
            coalesce(btrim(p_service_hours), ''), jsonb_build_object('objection_days', p_objection_days))
    returning * into c;
    insert into app.affairs_settings (community_id, cosign_threshold) values (c.id, p_cosign_threshold);
    perform app.audit(c.id, 'community.create', 'community', c.id::text, jsonb_build_object('name', c.name));
  else
    select * into c from app.communities where id = p_community_id for update;
    if c.id is null or not app.can_manage(c.id) then
      perform app.fail('admin.community_not_found');
    end if;
    if not app.is_street_admin_of(c.id) then
      perform app.fail('admin.street_admin_only');
    end if;
    update app.communities set name = btrim(p_name), kind = p_kind::app.community_kind, address = coalesce(btrim(p_address), ''),
                               service_phone = coalesce(btrim(p_service_phone), ''), service_hours = coalesce(btrim(p_service_hours), ''),
                               settings = settings || jsonb_build_object('objection_days', p_objection_days)
     where id = c.id returning * into c;
    insert into app.affairs_settings (community_id, cosign_threshold) values (c.id, p_cosign_threshold)
    on conflict (community_id) do update set cosign_threshold = excluded.cosign_threshold;
    perform app.audit(c.id, 'community.update', 'community', c.id::text, jsonb_build_object('name', c.name));
  end if;
  return app.community_admin_json(c) || jsonb_build_object('mayEditCommunity', true);
exception
  when unique_violation then
    perform app.fail('admin.name_taken', 'field:name');
  when check_violation or invalid_text_representation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

create function public.archive_community(p_community_id uuid, p_archived boolean) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare c app.communities;
begin
  perform app.require_uid();
  select * into c from app.communities where id = p_community_id for update;
  if c.id is null or not app.can_manage(c.id) then
    perform app.fail('admin.community_not_found');
  end if;
  if not app.is_street_admin_of(c.id) then
    perform app.fail('admin.street_admin_only');
  end if;
  update app.communities set archived_at = case when p_archived then coalesce(archived_at, now()) end where id = c.id returning * into c;
  perform app.audit(c.id, case when p_archived then 'community.archive' else 'community.restore' end, 'community', c.id::text);
  return app.community_admin_json(c) || jsonb_build_object('mayEditCommunity', true);
end
$$;

create function public.save_grid(p_community_id uuid, p_grid_id uuid, p_name text, p_description text, p_archived boolean default false) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare g app.grids;
begin
  perform app.require_uid();
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  if p_grid_id is null then
    insert into app.grids (community_id, name, description) values (p_community_id, btrim(p_name), coalesce(btrim(p_description), ''))
    returning * into g;
  else
    update app.grids set name = btrim(p_name), description = coalesce(btrim(p_description), ''),
                         archived_at = case when p_archived then coalesce(archived_at, now()) end
     where id = p_grid_id and community_id = p_community_id returning * into g;
    if g.id is null then
      perform app.fail('admin.grid_not_found');
    end if;
  end if;
  perform app.audit(p_community_id, case when p_grid_id is null then 'grid.create' else 'grid.update' end, 'grid', g.id::text,
                    jsonb_build_object('name', g.name, 'archived', g.archived_at is not null));
  return jsonb_build_object('id', g.id, 'name', g.name, 'description', g.description, 'archivedAt', g.archived_at);
exception
  when unique_violation then
    perform app.fail('admin.name_taken', 'field:name');
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- Create a building, rename it, or move it to another grid (its households move with it; reports keep the
-- grid they were made in).
create function public.save_building(p_community_id uuid, p_building_id uuid, p_grid_id uuid, p_name text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  b app.buildings;
  v_from uuid;
begin
  perform app.require_uid();
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  if not exists (select 1 from app.grids g where g.id = p_grid_id and g.community_id = p_community_id and g.archived_at is null) then
    perform app.fail('admin.grid_not_found', 'field:gridId');
  end if;
  if p_building_id is null then
    insert into app.buildings (community_id, grid_id, name) values (p_community_id, p_grid_id, btrim(p_name)) returning * into b;
  else
    select grid_id into v_from from app.buildings where id = p_building_id and community_id = p_community_id;
    update app.buildings set grid_id = p_grid_id, name = btrim(p_name) where id = p_building_id and community_id = p_community_id returning * into b;
    if b.id is null then
      perform app.fail('admin.building_not_found');
    end if;
  end if;
  perform app.audit(p_community_id, case when p_building_id is null then 'building.create' when v_from <> p_grid_id then 'building.move' else 'building.update' end,
                    'building', b.id::text, jsonb_build_object('name', b.name, 'from', v_from, 'to', b.grid_id));
  return jsonb_build_object('id', b.id, 'name', b.name, 'gridId', b.grid_id);
exception
  when unique_violation then
    perform app.fail('admin.name_taken', 'field:name');
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- ---------------------------------------------------------------- rosters and invitations

create table app.roster_entries (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null,
  household_id uuid not null,
  name text not null check (char_length(name) between 2 and 20),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  relation text not null check (char_length(relation) between 1 and 10),
  imported_by uuid references app.profiles (id),
  imported_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  claimed_by uuid references app.profiles (id),
  claimed_at timestamptz,
  foreign key (household_id, community_id) references app.households (id, community_id),
  unique (household_id, phone),
  check ((claimed_by is null) = (claimed_at is null))
);
comment on table app.roster_entries is 'Residents from the office''s 台账 (import): not members until they sign in with this phone number and share it.';
create index roster_entries_phone_idx on app.roster_entries (phone) where claimed_at is null;
create index roster_entries_tenant_idx on app.roster_entries (community_id, household_id);

create table app.staff_invitations (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  name text not null check (char_length(name) between 2 and 20),
  role app.role not null check (role in ('committee', 'clerk', 'grid_worker', 'supervisor')),
  grid_id uuid,
  title text not null default '' check (char_length(title) <= 40),
  invited_by uuid not null references app.profiles (id),
  created_at timestamptz not null default now(),
  claimed_by uuid references app.profiles (id),
  claimed_at timestamptz,
  cancelled_at timestamptz,
  foreign key (grid_id, community_id) references app.grids (id, community_id),
  check ((grid_id is not null) = (role = 'grid_worker'))
);
comment on table app.staff_invitations is 'A role granted by phone number to someone without an account yet; claimed when they sign in with that number.';
create unique index staff_invitations_open_idx on app.staff_invitations (community_id, phone, role, grid_id) nulls not distinct
  where claimed_at is null and cancelled_at is null;
create index staff_invitations_phone_idx on app.staff_invitations (phone) where claimed_at is null and cancelled_at is null;

create table app.membership_history (
  id bigint generated always as identity primary key,
  community_id uuid not null references app.communities (id),
  profile_id uuid not null references app.profiles (id),
  role app.role not null,
  household_id uuid,
  grid_id uuid,
  title text not null default '',
  started_at timestamptz not null,
  ended_at timestamptz,
  ended_by uuid references app.profiles (id),
  end_reason text check (end_reason is null or end_reason in ('withdrawn', 'moved_out', 'moved_household', 'deceased', 'long_absence', 'account_deleted')),
  note text not null default '' check (char_length(note) <= 200),
  membership_id uuid not null,
  check ((ended_at is null) = (end_reason is null))
);
comment on table app.membership_history is 'Every role held in a community: from when, until when, ended by whom and why. Kept after the membership ends.';
create unique index membership_history_open_idx on app.membership_history (membership_id) where ended_at is null;
create index membership_history_profile_idx on app.membership_history (profile_id, started_at);
create index membership_history_community_idx on app.membership_history (community_id, role, started_at);

-- Why the next membership delete happens (set by the function that deletes; read by the trigger).
create function app.record_membership() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'INSERT' then
    insert into app.membership_history (community_id, profile_id, role, household_id, grid_id, title, started_at, membership_id)
    values (new.community_id, new.profile_id, new.role, new.household_id, new.grid_id, new.title, new.created_at, new.id);
    return new;
  end if;
  update app.membership_history h
     set ended_at = now(), ended_by = (select auth.uid()),
         end_reason = coalesce(nullif(current_setting('app.membership_end_reason', true), ''), 'withdrawn'),
         note = left(coalesce(nullif(current_setting('app.membership_end_note', true), ''), ''), 200)
   where h.membership_id = old.id and h.ended_at is null;
  return old;
end
$$;
create trigger memberships_history after insert or delete on app.memberships for each row execute function app.record_membership();
-- Memberships that exist today start their history now (their true start is their created_at).
insert into app.membership_history (community_id, profile_id, role, household_id, grid_id, title, started_at, membership_id)
select m.community_id, m.profile_id, m.role, m.household_id, m.grid_id, m.title, m.created_at, m.id from app.memberships m;

create function app.end_membership(p_membership uuid, p_reason text, p_note text) returns void
language plpgsql volatile security definer set search_path = '' as $$
begin
  perform set_config('app.membership_end_reason', p_reason, true);
  perform set_config('app.membership_end_note', coalesce(p_note, ''), true);
  delete from app.memberships where id = p_membership;
  perform set_config('app.membership_end_reason', '', true);
  perform set_config('app.membership_end_note', '', true);
end
$$;

-- Turn the caller's waiting roster rows and staff invitations into memberships, once they have shared the
-- phone number the office wrote down. Called after every sign-in; doing it twice changes nothing.
create function public.claim_invitations() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_phone text := (select p.phone from app.profiles p where p.id = v_uid);
  r record;
  v_residents integer := 0;
  v_roles integer := 0;
begin
  if v_phone is null or not app.has_consent(v_uid, 'phone_number') then
    return jsonb_build_object('residents', 0, 'roles', 0);
  end if;
  for r in select * from app.roster_entries e where e.phone = v_phone and e.claimed_at is null for update skip locked loop
    if not exists (select 1 from app.memberships m where m.profile_id = v_uid and m.community_id = r.community_id and m.role = 'resident') then
      insert into app.memberships (profile_id, community_id, role, household_id, created_by) values (v_uid, r.community_id, 'resident', r.household_id, r.imported_by);
      update app.profiles set real_name = coalesce(real_name, r.name) where id = v_uid;
      v_residents := v_residents + 1;
    end if;
    update app.roster_entries set claimed_by = v_uid, claimed_at = now() where id = r.id;
    perform app.audit(r.community_id, 'roster.claim', 'household', r.household_id::text, '{}'::jsonb, v_uid);
  end loop;
  for r in select * from app.staff_invitations i where i.phone = v_phone and i.claimed_at is null and i.cancelled_at is null for update skip locked loop
    insert into app.memberships (profile_id, community_id, role, grid_id, title, created_by)
    values (v_uid, r.community_id, r.role, r.grid_id, r.title, r.invited_by) on conflict do nothing;
    update app.staff_invitations set claimed_by = v_uid, claimed_at = now() where id = r.id;
    perform app.audit(r.community_id, 'role.claim', 'membership', r.role::text, '{}'::jsonb, v_uid);
    v_roles := v_roles + 1;
  end loop;
  return jsonb_build_object('residents', v_residents, 'roles', v_roles);
end
$$;

-- ---------------------------------------------------------------- import

create table app.imports (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  kind text not null check (kind in ('households')),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  rows integer not null check (rows >= 0),
  created integer not null default 0,
  updated integer not null default 0,
  unchanged integer not null default 0,
  refused integer not null default 0,
  imported_by uuid not null references app.profiles (id),
  imported_at timestamptz not null default now()
);
comment on table app.imports is 'Each import that was confirmed (not the dry runs): which file (by hash), how many rows did what.';
create index imports_community_idx on app.imports (community_id, imported_at);

-- Households and residents from a sheet. Each row: { row, grid, building, room, name, phone, relation }.
-- Grids and buildings named in the sheet are created when missing; a building named in another grid is
-- moved there. Returns counts and every row that is not unchanged (created, updated or refused, with why).
create function public.import_households(p_community_id uuid, p_rows jsonb, p_dry_run boolean, p_sha256 text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  x record;
  v_grid uuid;
  v_building uuid;
  v_household uuid;
  v_entry app.roster_entries;
  v_actions text[];
  v_reason text;
  v_out jsonb := '[]'::jsonb;
  n_created integer := 0;
  n_updated integer := 0;
  n_unchanged integer := 0;
  n_refused integer := 0;
  v_seen text[] := '{}';
  v_key text;
  v_phone text;
begin
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  if jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) > 20000 then
    perform app.fail('admin.import_too_large');
  end if;
  -- One import of a community at a time: a second one waits and then finds the rows already there.
  perform pg_advisory_xact_lock(hashtextextended('import:' || p_community_id::text, 0));
  for x in
    select coalesce((e ->> 'row')::integer, o::integer + 1) as row_no, btrim(coalesce(e ->> 'grid', '')) as grid, btrim(coalesce(e ->> 'building', '')) as building,
           btrim(coalesce(e ->> 'room', '')) as room, btrim(coalesce(e ->> 'name', '')) as name,
           regexp_replace(coalesce(e ->> 'phone', ''), '[\s-]', '', 'g') as phone, btrim(coalesce(e ->> 'relation', '')) as relation
      from jsonb_array_elements(p_rows) with ordinality as t(e, o)
  loop
    v_actions := '{}';
    v_reason := null;
    v_phone := x.phone;
    if x.building = '' then v_reason := '缺少楼栋（院落/村民小组）';
    elsif char_length(x.building) > 40 then v_reason := '楼栋名称太长（最多 40 个字）';
    elsif x.room = '' then v_reason := '缺少门牌号';
    elsif char_length(x.room) > 40 then v_reason := '门牌号太长（最多 40 个字）';
    elsif x.name <> '' and char_length(x.name) not between 2 and 20 then v_reason := '姓名应为 2 到 20 个字';
    elsif x.name <> '' and v_phone = '' then v_reason := '缺少手机号（居民用这个号码登录认领）';
    elsif v_phone <> '' and v_phone !~ '^1[3-9][0-9]{9}$' then v_reason := '手机号格式不对：' || left(x.phone, 20);
    elsif v_phone <> '' and x.name = '' then v_reason := '有手机号但缺少姓名';
    elsif x.relation <> '' and x.relation not in ('户主', '配偶', '子女', '父母', '其他亲属', '租户') then v_reason := '与户主关系应为 户主、配偶、子女、父母、其他亲属 或 租户';
    end if;
    v_key := x.building || '|' || x.room || '|' || v_phone;
    if v_reason is null and v_phone <> '' and v_key = any (v_seen) then
      v_reason := '与前面的行重复（同一户、同一手机号）';
    end if;
    if v_reason is null then
      v_seen := v_seen || v_key;
      -- The grid: named in the sheet, or the building's present one.
      select b.id, b.grid_id into v_building, v_grid from app.buildings b where b.community_id = p_community_id and b.name = x.building;
      if x.grid <> '' then
        select g.id into v_grid from app.grids g where g.community_id = p_community_id and g.name = x.grid;
        if v_grid is null then
          if char_length(x.grid) not between 2 and 40 then
            v_reason := '网格名称应为 2 到 40 个字';
          else
            v_actions := v_actions || ('新建网格 ' || x.grid);
            if not p_dry_run then
              insert into app.grids (community_id, name) values (p_community_id, x.grid) returning id into v_grid;
            end if;
          end if;
        elsif exists (select 1 from app.grids g where g.id = v_grid and g.archived_at is not null) then
          v_reason := '网格 ' || x.grid || ' 已停用';
        end if;
      elsif v_building is null then
        v_reason := '新楼栋需要写明所在网格';
      end if;
    end if;
    if v_reason is null then
      if v_building is null then
        v_actions := v_actions || ('新建楼栋 ' || x.building);
        if not p_dry_run then
          insert into app.buildings (community_id, grid_id, name) values (p_community_id, v_grid, x.building) returning id into v_building;
        end if;
      elsif v_grid is not null and (select b.grid_id from app.buildings b where b.id = v_building) is distinct from v_grid then
        v_actions := v_actions || ('楼栋 ' || x.building || ' 划到 ' || x.grid);
        if not p_dry_run then
          update app.buildings set grid_id = v_grid where id = v_building;
        end if;
      end if;
      v_household := null;
      if v_building is not null then
        select h.id into v_household from app.households h where h.building_id = v_building and h.room = x.room;
      end if;
      if v_household is null then
        v_actions := v_actions || ('新建住户 ' || x.building || ' ' || x.room);
        if not p_dry_run then
          insert into app.households (community_id, building_id, room) values (p_community_id, v_building, x.room) returning id into v_household;
        end if;
      end if;
      if v_phone <> '' then
        v_entry := null;
        if v_household is not null then
          select * into v_entry from app.roster_entries e where e.household_id = v_household and e.phone = v_phone;
        end if;
        if v_entry.id is null then
          v_actions := v_actions || ('登记居民 ' || app.mask_name(x.name) || '（本人用此手机号登录后认领）');
          if not p_dry_run then
            insert into app.roster_entries (community_id, household_id, name, phone, relation, imported_by)
            values (p_community_id, v_household, x.name, v_phone, coalesce(nullif(x.relation, ''), '其他亲属'), v_uid);
          end if;
        elsif v_entry.name <> x.name or (x.relation <> '' and v_entry.relation <> x.relation) then
          v_actions := v_actions || ('更正居民 ' || app.mask_name(x.name));
          if not p_dry_run then
            update app.roster_entries set name = x.name, relation = coalesce(nullif(x.relation, ''), relation), updated_at = now() where id = v_entry.id;
          end if;
        end if;
      end if;
    end if;
    if v_reason is not null then
      n_refused := n_refused + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'refused', 'reason', v_reason, 'building', x.building, 'room', x.room);
    elsif cardinality(v_actions) = 0 then
      n_unchanged := n_unchanged + 1;
    else
      if exists (select 1 from unnest(v_actions) a where a like '新建住户%' or a like '登记居民%') then n_created := n_created + 1; else n_updated := n_updated + 1; end if;
      if jsonb_array_length(v_out) < 1000 then
        v_out := v_out || jsonb_build_object('row', x.row_no, 'action', case when exists (select 1 from unnest(v_actions) a where a like '新建住户%' or a like '登记居民%')
                                                                                 then 'create' else 'update' end,
                                             'reason', array_to_string(v_actions, '；'), 'building', x.building, 'room', x.room);
      end if;
    end if;
  end loop;
  if not p_dry_run then
    insert into app.imports (community_id, kind, sha256, rows, created, updated, unchanged, refused, imported_by)
    values (p_community_id, 'households', p_sha256, jsonb_array_length(p_rows), n_created, n_updated, n_unchanged, n_refused, v_uid);
    perform app.audit(p_community_id, 'import.households', 'community', p_community_id::text,
                      jsonb_build_object('rows', jsonb_array_length(p_rows), 'created', n_created, 'updated', n_updated, 'refused', n_refused, 'sha256', p_sha256));
  end if;
  return jsonb_build_object('dryRun', p_dry_run, 'rows', jsonb_array_length(p_rows), 'created', n_created, 'updated', n_updated,
                            'unchanged', n_unchanged, 'refused', n_refused, 'details', v_out);
end
$$;

-- ---------------------------------------------------------------- staff and members

create function app.member_json(m app.memberships) returns jsonb
language sql stable security definer set search_path = '' as $$
  select jsonb_build_object('membershipId', m.id, 'profileId', m.profile_id, 'role', m.role, 'title', m.title, 'since', m.created_at,
    'name', (select coalesce(p.real_name, p.display_name) from app.profiles p where p.id = m.profile_id),
    'phone', (select p.phone_masked from app.profiles p where p.id = m.profile_id),
    'gridId', m.grid_id, 'gridName', (select g.name from app.grids g where g.id = m.grid_id),
    'householdId', m.household_id,
    'address', (select b.name || ' ' || h.room from app.households h join app.buildings b on b.id = h.building_id where h.id = m.household_id));
$$;

-- Staff (or residents) of a community, for those who manage it; names in full for them, phones masked.
create function public.list_members(p_community_id uuid, p_role text, p_q text default null, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
  v_q text := nullif(btrim(coalesce(p_q, '')), '');
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', app.member_json(m), 'c', app.encode_cursor(array[m.created_at::text, m.id::text])) order by m.created_at, m.id)
    into v_rows
    from (select x.* from app.memberships x
           where x.community_id = p_community_id
             and (case when p_role = 'staff' then x.role <> 'resident' else x.role::text = p_role end)
             and (v_q is null or exists (select 1 from app.profiles p where p.id = x.profile_id and strpos(coalesce(p.real_name, p.display_name), v_q) > 0))
             and (x.created_at, x.id) > (cur[1]::timestamptz, cur[2]::uuid)
           order by x.created_at, x.id limit v_limit + 1) m;
  return app.page(v_rows, v_limit);
end
$$;

-- Grant a role by phone number: at once when someone has an account with that number, else an invitation.
-- Street admins grant any role; the committee grants clerks and grid workers of its own community.
create function public.grant_role(p_community_id uuid, p_phone text, p_name text, p_role text, p_grid_id uuid, p_title text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_profile uuid;
  m app.memberships;
  i app.staff_invitations;
begin
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  if p_role not in ('committee', 'clerk', 'grid_worker', 'supervisor') then
    perform app.fail('core.invalid_input', 'field:role');
  end if;
  if p_role in ('committee', 'supervisor') and not app.is_street_admin_of(p_community_id) then
    perform app.fail('admin.street_admin_only');
  end if;
  if (p_role = 'grid_worker') <> (p_grid_id is not null)
     or (p_grid_id is not null and not exists (select 1 from app.grids g where g.id = p_grid_id and g.community_id = p_community_id and g.archived_at is null)) then
    perform app.fail('admin.grid_not_found', 'field:gridId');
  end if;
  if p_phone !~ '^1[3-9][0-9]{9}$' then
    perform app.fail('core.invalid_input', 'field:phone');
  end if;
  select p.id into v_profile from app.profiles p where p.phone = p_phone order by p.created_at limit 1;
  if v_profile is not null then
    insert into app.memberships (profile_id, community_id, role, grid_id, title, created_by)
    values (v_profile, p_community_id, p_role::app.role, p_grid_id, coalesce(btrim(p_title), ''), v_uid)
    on conflict do nothing returning * into m;
    if m.id is null then
      perform app.fail('admin.role_exists');
    end if;
    perform app.audit(p_community_id, 'role.grant', 'membership', m.id::text, jsonb_build_object('role', p_role, 'grid', p_grid_id), v_profile);
    return jsonb_build_object('granted', true, 'invited', false, 'member', app.member_json(m));
  end if;
  insert into app.staff_invitations (community_id, phone, name, role, grid_id, title, invited_by)
  values (p_community_id, p_phone, btrim(p_name), p_role::app.role, p_grid_id, coalesce(btrim(p_title), ''), v_uid)
  returning * into i;
  perform app.audit(p_community_id, 'role.invite', 'staff_invitation', i.id::text, jsonb_build_object('role', p_role, 'grid', p_grid_id));
  return jsonb_build_object('granted', false, 'invited', true, 'member', null);
exception
  when unique_violation then
    perform app.fail('admin.role_exists');
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- End a role at once (the next request of that person already lacks it); their past records stay theirs.
create function public.withdraw_role(p_membership_id uuid, p_reason text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare m app.memberships;
begin
  perform app.require_uid();
  select * into m from app.memberships where id = p_membership_id for update;
  if m.id is null or not app.can_manage(m.community_id) or m.role = 'resident' then
    perform app.fail('admin.member_not_found');
  end if;
  if m.role in ('committee', 'supervisor') and not app.is_street_admin_of(m.community_id) then
    perform app.fail('admin.street_admin_only');
  end if;
  if char_length(btrim(coalesce(p_reason, ''))) < 2 then
    perform app.fail('admin.reason_required', 'field:reason');
  end if;
  perform app.end_membership(m.id, 'withdrawn', btrim(p_reason));
  perform app.audit(m.community_id, 'role.withdraw', 'membership', m.id::text, jsonb_build_object('role', m.role, 'reason', btrim(p_reason)), m.profile_id);
  return jsonb_build_object('membershipId', m.id, 'ended', true);
end
$$;

-- A resident moves out, dies or is away for long (their membership ends; history, points ledger and
-- records stay), or moves to another household of the community.
create function public.end_residence(p_membership_id uuid, p_reason text, p_note text, p_new_household_id uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  m app.memberships;
  n app.memberships;
begin
  perform app.require_uid();
  select * into m from app.memberships where id = p_membership_id for update;
  if m.id is null or m.role <> 'resident' or not app.can_manage(m.community_id) then
    perform app.fail('admin.member_not_found');
  end if;
  if p_reason not in ('moved_out', 'moved_household', 'deceased', 'long_absence') then
    perform app.fail('core.invalid_input', 'field:reason');
  end if;
  if p_reason = 'moved_household' then
    if p_new_household_id is null or p_new_household_id = m.household_id
       or not exists (select 1 from app.households h where h.id = p_new_household_id and h.community_id = m.community_id) then
      perform app.fail('admin.household_not_found', 'field:newHouseholdId');
    end if;
  end if;
  perform app.end_membership(m.id, p_reason, p_note);
  if p_reason = 'moved_household' then
    insert into app.memberships (profile_id, community_id, role, household_id, title, created_by)
    values (m.profile_id, m.community_id, 'resident', p_new_household_id, m.title, (select auth.uid())) returning * into n;
  end if;
  perform app.audit(m.community_id, 'resident.' || p_reason, 'membership', m.id::text, jsonb_build_object('note', p_note, 'to', p_new_household_id), m.profile_id);
  return jsonb_build_object('membershipId', m.id, 'ended', true, 'member', case when n.id is null then null else app.member_json(n) end);
end
$$;

-- A person's roles in a community over time (for those who manage it).
create function public.list_membership_history(p_community_id uuid, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 1), array['9223372036854775807']);
  v_rows jsonb;
begin
  perform app.require_uid();
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', h.id, 'name', app.masked_name_of(h.profile_id), 'role', h.role, 'title', h.title,
           'gridName', (select g.name from app.grids g where g.id = h.grid_id),
           'address', (select b.name || ' ' || x.room from app.households x join app.buildings b on b.id = x.building_id where x.id = h.household_id),
           'startedAt', h.started_at, 'endedAt', h.ended_at, 'endReason', h.end_reason, 'note', h.note,
           'endedBy', case when h.ended_by is null then null else app.masked_name_of(h.ended_by) end),
           'c', app.encode_cursor(array[h.id::text])) order by h.id desc)
    into v_rows
    from (select * from app.membership_history x where x.community_id = p_community_id and x.id < cur[1]::bigint order by x.id desc limit v_limit + 1) h;
  return app.page(v_rows, v_limit);
end
$$;

-- Street departments and their 报到 contacts (street admins).
create function public.save_department(p_street_id uuid, p_department_id uuid, p_name text, p_phone text, p_contact_phone text default null,
                                       p_remove_contact boolean default false) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  d app.departments;
  v_contact uuid;
begin
  if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = v_uid) then
    perform app.fail('admin.street_admin_only');
  end if;
  if p_department_id is null then
    insert into app.departments (street_id, name, phone) values (p_street_id, btrim(p_name), coalesce(btrim(p_phone), '')) returning * into d;
  else
    update app.departments set name = btrim(p_name), phone = coalesce(btrim(p_phone), '') where id = p_department_id and street_id = p_street_id returning * into d;
    if d.id is null then
      perform app.fail('grid.department_not_found');
    end if;
  end if;
  if p_contact_phone is not null then
    select p.id into v_contact from app.profiles p where p.phone = p_contact_phone order by p.created_at limit 1;
    if v_contact is null then
      perform app.fail('admin.person_not_found', 'field:contactPhone');
    end if;
    if p_remove_contact then
      delete from app.department_contacts where department_id = d.id and profile_id = v_contact;
    else
      insert into app.department_contacts (department_id, profile_id) values (d.id, v_contact) on conflict do nothing;
    end if;
  end if;
  perform app.audit(null, 'department.save', 'department', d.id::text, jsonb_build_object('name', d.name, 'contact', v_contact, 'removed', p_remove_contact));
  return jsonb_build_object('id', d.id, 'name', d.name, 'phone', d.phone,
    'contacts', (select coalesce(jsonb_agg(app.masked_name_of(ct.profile_id)), '[]'::jsonb) from app.department_contacts ct where ct.department_id = d.id));
exception
  when unique_violation then
    perform app.fail('admin.name_taken', 'field:name');
  when check_violation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- ---------------------------------------------------------------- dashboards

-- One community's figures for a period [p_from, p_to) of Asia/Shanghai days, each counted from its records.
create function app.community_figures(p_community uuid, p_from date, p_to date) returns jsonb
language sql stable security definer set search_path = '' as $$
  with b as (select (p_from::timestamp at time zone 'Asia/Shanghai') as t0, (p_to::timestamp at time zone 'Asia/Shanghai') as t1),
  completed as (
    select a.id, a.created_at, a.rating, (select max(e.at) from app.application_events e where e.application_id = a.id and e.to_status = 'completed') as done_at
      from app.applications a where a.community_id = p_community and a.status = 'completed'),
  reports as (select r.* from app.grid_reports r, b where r.community_id = p_community and r.created_at >= b.t0 and r.created_at < b.t1),
  resolves as (select s.on_time from app.report_steps s, b where s.community_id = p_community and s.action = 'resolve' and s.at >= b.t0 and s.at < b.t1),
  topics as (select t.* from app.topics t, b where t.community_id = p_community and t.created_at >= b.t0 and t.created_at < b.t1),
  polls as (select p.* from app.polls p, b where p.community_id = p_community and p.closes_at >= b.t0 and p.closes_at < b.t1 and p.closes_at <= now()),
  service as (select s.profile_id, s.minutes from app.activity_signups s, b where s.community_id = p_community and s.confirmed_at >= b.t0 and s.confirmed_at < b.t1
                and s.minutes is not null),
  entries as (select e.kind, e.delta from app.point_entries e, b where e.community_id = p_community and e.created_at >= b.t0 and e.created_at < b.t1),
  important as (select n.id, n.audience_grid_ids from app.notices n, b where n.community_id = p_community and n.important and n.first_published_at >= b.t0
                  and n.first_published_at < b.t1),
  households as (select h.id, bl.grid_id from app.households h join app.buildings bl on bl.id = h.building_id
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
    'importantUnreadHouseholds', (select count(*) from important i join households h on (i.audience_grid_ids is null or h.grid_id = any (i.audience_grid_ids))
                                   where not exists (select 1 from app.notice_reads r where r.notice_id = i.id and r.household_id = h.id)),
    'verificationsPending', (select count(*) from app.verification_requests v where v.community_id = p_community and v.status = 'pending'),
    'oldestVerificationDays', (select floor(extract(epoch from now() - min(v.created_at)) / 86400)::integer from app.verification_requests v
                                where v.community_id = p_community and v.status = 'pending'),
    'households', (select count(*) from app.households h where h.community_id = p_community),
    'residents', (select count(*) from app.memberships m where m.community_id = p_community and m.role = 'resident'));
$$;

create function app.check_period(p_from date, p_to date) returns void
language plpgsql immutable set search_path = '' as $$
begin
  if p_from is null or p_to is null or p_to <= p_from or p_to - p_from > 366 then
    perform app.fail('admin.period_invalid', 'field:to');
  end if;
end
$$;

-- The street's communities side by side (street admins).
create function public.get_street_dashboard(p_street_id uuid, p_from date, p_to date, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = app.require_uid()) then
    perform app.fail('admin.street_admin_only');
  end if;
  perform app.check_period(p_from, p_to);
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('communityId', c.id, 'name', c.name, 'kind', c.kind, 'archived', c.archived_at is not null,
           'figures', app.community_figures(c.id, p_from, p_to)), 'c', app.encode_cursor(array[c.name, c.id::text])) order by c.name, c.id)
    into v_rows
    from (select * from app.communities x where x.street_id = p_street_id and (x.name, x.id) > (cur[1], cur[2]::uuid) order by x.name, x.id limit v_limit + 1) c;
  return app.page(v_rows, v_limit) || jsonb_build_object('from', p_from, 'to', p_to);
end
$$;

-- One community's figures and its grids side by side (its committee, supervisors and street admins).
create function public.get_community_dashboard(p_community_id uuid, p_from date, p_to date) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  perform app.require_uid();
  if not app.is_overseer(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  perform app.check_period(p_from, p_to);
  return jsonb_build_object('communityId', p_community_id, 'from', p_from, 'to', p_to,
    'name', (select c.name from app.communities c where c.id = p_community_id),
    'figures', app.community_figures(p_community_id, p_from, p_to),
    'grids', (select coalesce(jsonb_agg(jsonb_build_object('gridId', g.id, 'name', g.name,
       'households', (select count(*) from app.households h join app.buildings b on b.id = h.building_id where b.grid_id = g.id),
       'reportsReceived', (select count(*) from app.grid_reports r where r.grid_id = g.id
                             and r.created_at >= (p_from::timestamp at time zone 'Asia/Shanghai') and r.created_at < (p_to::timestamp at time zone 'Asia/Shanghai')),
       'reportsOpen', (select count(*) from app.grid_reports r where r.grid_id = g.id and r.status in ('reported', 'accepted', 'in_progress')),
       'reportsOverdue', (select count(*) from app.grid_reports r where r.grid_id = g.id
                            and ((r.status = 'reported' and r.accept_due < now()) or (r.status in ('accepted', 'in_progress') and r.solve_due < now()))),
       'householdsVisited', (select count(distinct v.household_id) from app.household_visits v where v.grid_id = g.id
                               and v.visited_at >= (p_from::timestamp at time zone 'Asia/Shanghai') and v.visited_at < (p_to::timestamp at time zone 'Asia/Shanghai')),
       'workers', (select coalesce(jsonb_agg(app.masked_name_of(m.profile_id)), '[]'::jsonb) from app.memberships m where m.grid_id = g.id and m.role = 'grid_worker'))
       order by g.name), '[]'::jsonb) from (select * from app.grids x where x.community_id = p_community_id order by x.name limit 200) g));
end
$$;

-- Twelve months of a few figures, for the trend charts: a community, or a whole street when p_community_id is null.
create function public.get_dashboard_trend(p_street_id uuid, p_community_id uuid, p_months integer default 12) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_ids uuid[];
  v_first date := (date_trunc('month', now() at time zone 'Asia/Shanghai') - make_interval(months => least(greatest(coalesce(p_months, 12), 1), 24) - 1))::date;
begin
  perform app.require_uid();
  if p_community_id is not null then
    if not app.is_overseer(p_community_id) then
      perform app.fail('admin.community_not_found');
    end if;
    v_ids := array[p_community_id];
  else
    if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = (select auth.uid())) then
      perform app.fail('admin.street_admin_only');
    end if;
    select array_agg(c.id) into v_ids from app.communities c where c.street_id = p_street_id;
  end if;
  return (select jsonb_agg(jsonb_build_object('month', to_char(m.m, 'YYYY-MM'),
      'casesReceived', (select count(*) from app.applications a where a.community_id = any (v_ids) and a.created_at >= m.t0 and a.created_at < m.t1),
      'casesCompleted', (select count(*) from app.application_events e join app.applications a on a.id = e.application_id
                           where a.community_id = any (v_ids) and e.to_status = 'completed' and e.at >= m.t0 and e.at < m.t1),
      'reportsReceived', (select count(*) from app.grid_reports r where r.community_id = any (v_ids) and r.created_at >= m.t0 and r.created_at < m.t1),
      'reportsResolvedOnTimeRate', (select case when count(*) = 0 then null else round(100.0 * count(*) filter (where s.on_time) / count(*), 1) end
                                      from app.report_steps s where s.community_id = any (v_ids) and s.action = 'resolve' and s.at >= m.t0 and s.at < m.t1),
      'volunteerHours', (select round(coalesce(sum(s.minutes), 0) / 60.0, 1) from app.activity_signups s
                           where s.community_id = any (v_ids) and s.confirmed_at >= m.t0 and s.confirmed_at < m.t1),
      'pointsIssued', (select coalesce(sum(e.delta), 0) from app.point_entries e where e.community_id = any (v_ids) and e.kind in ('service', 'award')
                         and e.created_at >= m.t0 and e.created_at < m.t1)) order by m.m)
    from (select d::date as m, (d::timestamp at time zone 'Asia/Shanghai') as t0, ((d + interval '1 month')::timestamp at time zone 'Asia/Shanghai') as t1
            from generate_series(v_first, (date_trunc('month', now() at time zone 'Asia/Shanghai'))::date, interval '1 month') d) m);
end
$$;

-- ---------------------------------------------------------------- export

-- The rows of a register for the street's monthly report, names and phones masked unless the caller manages
-- that community (its committee sees full names of its own residents; phones stay masked for everyone).
-- The export itself is audited. At most 10,000 rows per call (a page of the register).
create function public.export_register(p_community_id uuid, p_kind text, p_from date, p_to date, p_limit integer default 10000, p_offset integer default 0)
returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_full boolean := app.has_role(p_community_id, '{committee}');
  v_limit integer := least(greatest(coalesce(p_limit, 10000), 1), 10000);
  v_offset integer := greatest(coalesce(p_offset, 0), 0);
  t0 timestamptz := (p_from::timestamp at time zone 'Asia/Shanghai');
  t1 timestamptz := (p_to::timestamp at time zone 'Asia/Shanghai');
  v_rows jsonb;
begin
  perform app.require_uid();
  if not (app.can_manage(p_community_id) or app.is_overseer(p_community_id)) then
    perform app.fail('admin.community_not_found');
  end if;
  perform app.check_period(p_from, p_to);
  case p_kind
    when 'households' then
      select jsonb_agg(x order by x->>'地址') into v_rows from (
        select jsonb_build_object('网格', g.name, '地址', b.name || ' ' || h.room,
                 '登记居民', (select count(*) from app.memberships m where m.household_id = h.id and m.role = 'resident'),
                 '待认领', (select count(*) from app.roster_entries r where r.household_id = h.id and r.claimed_at is null)) as x
          from app.households h join app.buildings b on b.id = h.building_id join app.grids g on g.id = b.grid_id
         where h.community_id = p_community_id order by b.name, h.room limit v_limit offset v_offset) s;
    when 'members' then
      select jsonb_agg(x) into v_rows from (
        select jsonb_build_object('姓名', case when v_full then coalesce(p.real_name, p.display_name) else app.mask_name(coalesce(p.real_name, p.display_name)) end,
                 '手机', p.phone_masked, '身份', m.role::text, '职务', m.title, '网格', (select g.name from app.grids g where g.id = m.grid_id),
                 '地址', (select b.name || ' ' || h.room from app.households h join app.buildings b on b.id = h.building_id where h.id = m.household_id),
                 '加入时间', to_char(m.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD')) as x
          from app.memberships m join app.profiles p on p.id = m.profile_id
         where m.community_id = p_community_id order by m.role, m.created_at limit v_limit offset v_offset) s;
    when 'cases' then
      select jsonb_agg(x) into v_rows from (
        select jsonb_build_object('事项', i.name, '申请人', app.mask_name(coalesce(p.real_name, p.display_name)), '状态', a.status::text,
                 '提交时间', to_char(a.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '承诺办结', a.due_on::text, '评价', a.rating) as x
          from app.applications a join app.service_items i on i.id = a.item_id join app.profiles p on p.id = a.applicant_id
         where a.community_id = p_community_id and a.created_at >= t0 and a.created_at < t1 order by a.created_at limit v_limit offset v_offset) s;
    when 'reports' then
      select jsonb_agg(x) into v_rows from (
        select jsonb_build_object('类别', (select c.name from app.report_categories c where c.community_id = r.community_id and c.code = r.category),
                 '网格', (select g.name from app.grids g where g.id = r.grid_id), '状态', app.report_status_label(r.status), '级别', app.level_label(r.level),
                 '反映时间', to_char(r.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'),
                 '办结时间', to_char(r.resolved_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI'), '评价', r.rating, '重新打开次数', r.reopen_count) as x
          from app.grid_reports r where r.community_id = p_community_id and r.created_at >= t0 and r.created_at < t1 order by r.created_at limit v_limit offset v_offset) s;
    when 'ledger' then
      select jsonb_agg(x) into v_rows from (
        select jsonb_build_object('姓名', app.mask_name(coalesce(p.real_name, p.display_name)), '类型', e.kind, '积分', e.delta, '事由', e.reason,
                 '月份', to_char(e.month, 'YYYY-MM'), '时间', to_char(e.created_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')) as x
          from app.point_entries e join app.profiles p on p.id = e.profile_id
         where e.community_id = p_community_id and e.created_at >= t0 and e.created_at < t1 order by e.id limit v_limit offset v_offset) s;
    when 'handouts' then
      select jsonb_agg(x) into v_rows from (
        select jsonb_build_object('商品', g.name, '居民', app.mask_name(coalesce(p.real_name, p.display_name)), '积分', r.points_spent,
                 '领取时间', to_char(r.handed_over_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')) as x
          from app.redemptions r join app.goods g on g.id = r.goods_id join app.profiles p on p.id = r.profile_id
         where r.community_id = p_community_id and r.status = 'handed_over' and r.handed_over_at >= t0 and r.handed_over_at < t1
         order by r.handed_over_at limit v_limit offset v_offset) s;
    when 'dashboard' then
      v_rows := jsonb_build_array(app.community_figures(p_community_id, p_from, p_to));
    else
      perform app.fail('core.invalid_input', 'field:kind');
  end case;
  perform app.audit(p_community_id, 'export.' || p_kind, 'community', p_community_id::text,
                    jsonb_build_object('from', p_from, 'to', p_to, 'rows', coalesce(jsonb_array_length(v_rows), 0), 'offset', v_offset));
  return jsonb_build_object('kind', p_kind, 'rows', coalesce(v_rows, '[]'::jsonb));
end
$$;

-- ---------------------------------------------------------------- RLS and grants

alter table app.roster_entries enable row level security;
alter table app.staff_invitations enable row level security;
alter table app.membership_history enable row level security;
alter table app.imports enable row level security;
-- No direct reads: the functions above decide (a roster holds phone numbers).
grant all on app.roster_entries, app.staff_invitations, app.membership_history, app.imports to service_role;

grant execute on function public.list_managed_communities(integer, text), public.get_community_setup(uuid),
  public.save_community(uuid, uuid, text, text, text, text, text, integer, integer), public.archive_community(uuid, boolean),
  public.save_grid(uuid, uuid, text, text, boolean), public.save_building(uuid, uuid, uuid, text), public.claim_invitations(),
  public.import_households(uuid, jsonb, boolean, text), public.list_members(uuid, text, text, integer, text),
  public.grant_role(uuid, text, text, text, uuid, text), public.withdraw_role(uuid, text), public.end_residence(uuid, text, text, uuid),
  public.list_membership_history(uuid, integer, text), public.save_department(uuid, uuid, text, text, text, boolean),
  public.get_street_dashboard(uuid, date, date, integer, text), public.get_community_dashboard(uuid, date, date),
  public.get_dashboard_trend(uuid, uuid, integer), public.export_register(uuid, text, date, date, integer, integer)
  to authenticated;
