-- Second part of setting up a street from its own sheets (issue: admin/onboarding):
--   1. 居民/村民代表 and 党员 rosters imported from a sheet (姓名, 手机号, 名册). A person already a resident of
--      the community is put on the roster at once; anyone else waits, by phone number, until they sign in
--      with it, share it and are a resident here (app.claim_invitations). The sheet is the whole roster for
--      each roster it names: people on that roster who are missing from the sheet come off it (the dry run
--      lists them first). Re-importing the same sheet changes nothing.
--   2. What happens to a resident's points when they move out or die is a community rule:
--      keep (default: the account stays, frozen with the membership), transfer (the available points go to
--      the longest-standing resident left in the household) or close (the available points are written off).
--      Points still in an open objection window stay where they are. Every move is a ledger entry.

-- ---------------------------------------------------------------- rosters

alter table app.imports drop constraint imports_kind_check;
alter table app.imports add constraint imports_kind_check check (kind in ('households', 'roster'));

create table app.roster_tag_entries (
  id uuid primary key default gen_random_uuid(),
  community_id uuid not null references app.communities (id),
  tag text not null check (tag in ('representative', 'party_member')),
  phone text not null check (phone ~ '^1[3-9][0-9]{9}$'),
  name text not null check (char_length(name) between 2 and 20),
  imported_by uuid not null references app.profiles (id),
  imported_at timestamptz not null default now(),
  claimed_by uuid references app.profiles (id),
  claimed_at timestamptz,
  unique (community_id, tag, phone),
  check ((claimed_by is null) = (claimed_at is null))
);
comment on table app.roster_tag_entries is 'A roster (代表/党员) line from the office''s sheet for someone not yet a resident here: joins the roster when they sign in with this phone number.';
create index roster_tag_entries_phone_idx on app.roster_tag_entries (phone) where claimed_at is null;
alter table app.roster_tag_entries enable row level security;
-- No direct reads: phone numbers. The functions below decide.
grant all on app.roster_tag_entries to service_role;

create function app.roster_tag_of(p_label text) returns text
language sql immutable set search_path = '' as $$
  select case btrim(p_label) when '居民代表' then 'representative' when '村民代表' then 'representative' when '代表' then 'representative'
                             when '党员' then 'party_member' when '中共党员' then 'party_member' else null end;
$$;

-- Each row: { row, name, phone, roster }. Returns the same shape as import_households; rows coming off a
-- roster are listed with row 0.
create function public.import_roster(p_community_id uuid, p_rows jsonb, p_dry_run boolean, p_sha256 text) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  x record;
  v_tag text;
  v_reason text;
  v_profile uuid;
  v_entry app.roster_tag_entries;
  v_out jsonb := '[]'::jsonb;
  v_seen text[] := '{}';
  v_tags text[] := '{}';
  n_created integer := 0;
  n_updated integer := 0;
  n_unchanged integer := 0;
  n_refused integer := 0;
  v_label text;
begin
  if not app.can_manage(p_community_id) then
    perform app.fail('admin.community_not_found');
  end if;
  if jsonb_typeof(p_rows) <> 'array' or jsonb_array_length(p_rows) > 20000 then
    perform app.fail('admin.import_too_large');
  end if;
  perform pg_advisory_xact_lock(hashtextextended('import:' || p_community_id::text, 0));
  for x in
    select coalesce((e ->> 'row')::integer, o::integer + 1) as row_no, btrim(coalesce(e ->> 'name', '')) as name,
           regexp_replace(coalesce(e ->> 'phone', ''), '[\s-]', '', 'g') as phone, btrim(coalesce(e ->> 'roster', '')) as roster
      from jsonb_array_elements(p_rows) with ordinality as t(e, o)
  loop
    v_reason := null;
    v_tag := app.roster_tag_of(x.roster);
    if x.roster = '' then v_reason := '缺少名册（居民代表、村民代表 或 党员）';
    elsif v_tag is null then v_reason := '名册应为 居民代表、村民代表 或 党员：' || left(x.roster, 20);
    elsif char_length(x.name) not between 2 and 20 then v_reason := '姓名应为 2 到 20 个字';
    elsif x.phone = '' then v_reason := '缺少手机号（用手机号找到本人）';
    elsif x.phone !~ '^1[3-9][0-9]{9}$' then v_reason := '手机号格式不对：' || left(x.phone, 20);
    elsif (v_tag || '|' || x.phone) = any (v_seen) then v_reason := '与前面的行重复（同一名册、同一手机号）';
    end if;
    v_label := case v_tag when 'representative' then (case when (select c.kind from app.communities c where c.id = p_community_id) = 'village'
                                                              then '村民代表' else '居民代表' end)
                          else '党员' end;
    if v_reason is not null then
      n_refused := n_refused + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'refused', 'reason', v_reason, 'building', '', 'room', '');
      continue;
    end if;
    v_seen := v_seen || (v_tag || '|' || x.phone);
    if not v_tag = any (v_tags) then v_tags := v_tags || v_tag; end if;
    -- A resident of this community with that phone number joins the roster now.
    select p.id into v_profile from app.profiles p
     where p.phone = x.phone and exists (select 1 from app.memberships m where m.profile_id = p.id and m.community_id = p_community_id and m.role = 'resident')
     order by p.created_at limit 1;
    if v_profile is not null then
      if exists (select 1 from app.member_tags t where t.profile_id = v_profile and t.community_id = p_community_id and t.tag = v_tag) then
        n_unchanged := n_unchanged + 1;
      else
        n_created := n_created + 1;
        v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'create', 'reason', app.mask_name(x.name) || ' 加入' || v_label || '名册',
                                             'building', '', 'room', '');
        if not p_dry_run then
          insert into app.member_tags (profile_id, community_id, tag) values (v_profile, p_community_id, v_tag) on conflict do nothing;
        end if;
      end if;
      continue;
    end if;
    select * into v_entry from app.roster_tag_entries e where e.community_id = p_community_id and e.tag = v_tag and e.phone = x.phone;
    if v_entry.id is null then
      n_created := n_created + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'create', 'reason',
                                           '登记 ' || app.mask_name(x.name) || ' 为' || v_label || '（本人用此手机号登录、成为本社区认证居民后加入名册）', 'building', '', 'room', '');
      if not p_dry_run then
        insert into app.roster_tag_entries (community_id, tag, phone, name, imported_by) values (p_community_id, v_tag, x.phone, x.name, v_uid);
      end if;
    elsif v_entry.name <> x.name and v_entry.claimed_at is null then
      n_updated := n_updated + 1;
      v_out := v_out || jsonb_build_object('row', x.row_no, 'action', 'update', 'reason', '更正姓名 ' || app.mask_name(x.name), 'building', '', 'room', '');
      if not p_dry_run then
        update app.roster_tag_entries set name = x.name where id = v_entry.id;
      end if;
    else
      n_unchanged := n_unchanged + 1;
    end if;
  end loop;
  -- The sheet is the whole roster for each roster it names: whoever is on it and not on the sheet comes off.
  for x in
    select t.profile_id, t.tag, app.masked_name_of(t.profile_id) as name from app.member_tags t join app.profiles p on p.id = t.profile_id
     where t.community_id = p_community_id and t.tag = any (v_tags) and not ((t.tag || '|' || coalesce(p.phone, '')) = any (v_seen))
  loop
    n_updated := n_updated + 1;
    v_out := v_out || jsonb_build_object('row', 0, 'action', 'update', 'reason', x.name || ' 不在表里，移出'
                                         || case x.tag when 'representative' then '代表' else '党员' end || '名册', 'building', '', 'room', '');
    if not p_dry_run then
      delete from app.member_tags where profile_id = x.profile_id and community_id = p_community_id and tag = x.tag;
    end if;
  end loop;
  for x in
    select e.id, e.name, e.tag from app.roster_tag_entries e
     where e.community_id = p_community_id and e.claimed_at is null and e.tag = any (v_tags) and not ((e.tag || '|' || e.phone) = any (v_seen))
  loop
    n_updated := n_updated + 1;
    v_out := v_out || jsonb_build_object('row', 0, 'action', 'update', 'reason', '撤销登记 ' || app.mask_name(x.name) || '（不在表里）', 'building', '', 'room', '');
    if not p_dry_run then
      delete from app.roster_tag_entries where id = x.id;
    end if;
  end loop;
  if not p_dry_run then
    insert into app.imports (community_id, kind, sha256, rows, created, updated, unchanged, refused, imported_by)
    values (p_community_id, 'roster', p_sha256, jsonb_array_length(p_rows), n_created, n_updated, n_unchanged, n_refused, v_uid);
    perform app.audit(p_community_id, 'import.roster', 'community', p_community_id::text,
                      jsonb_build_object('rows', jsonb_array_length(p_rows), 'created', n_created, 'updated', n_updated, 'refused', n_refused, 'sha256', p_sha256));
  end if;
  return jsonb_build_object('dryRun', p_dry_run, 'rows', jsonb_array_length(p_rows), 'created', n_created, 'updated', n_updated,
                            'unchanged', n_unchanged, 'refused', n_refused, 'details', v_out);
end
$$;

-- Sign-in claims: residents and roles as before, and now roster lines for communities where the caller is
-- (or has just become) a resident.
create or replace function public.claim_invitations() returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_phone text := (select p.phone from app.profiles p where p.id = v_uid);
  r record;
  v_residents integer := 0;
  v_roles integer := 0;
  v_tags integer := 0;
begin
  if v_phone is null or not app.has_consent(v_uid, 'phone_number') then
    return jsonb_build_object('residents', 0, 'roles', 0, 'rosters', 0);
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
  for r in select * from app.roster_tag_entries e where e.phone = v_phone and e.claimed_at is null
              and exists (select 1 from app.memberships m where m.profile_id = v_uid and m.community_id = e.community_id and m.role = 'resident')
           for update skip locked loop
    insert into app.member_tags (profile_id, community_id, tag) values (v_uid, r.community_id, r.tag) on conflict do nothing;
    update app.roster_tag_entries set claimed_by = v_uid, claimed_at = now() where id = r.id;
    perform app.audit(r.community_id, 'roster_tag.claim', 'member_tag', r.tag, '{}'::jsonb, v_uid);
    v_tags := v_tags + 1;
  end loop;
  return jsonb_build_object('residents', v_residents, 'roles', v_roles, 'rosters', v_tags);
end
$$;

-- ---------------------------------------------------------------- points on moving out

alter table app.communities add constraint communities_points_on_move_out_check
  check (coalesce(settings ->> 'points_on_move_out', 'keep') in ('keep', 'transfer', 'close'));

alter table app.point_entries drop constraint point_entries_kind_check;
alter table app.point_entries add constraint point_entries_kind_check
  check (kind in ('service', 'award', 'deduction', 'correction', 'objection', 'redemption', 'refund', 'transfer', 'closure'));

create or replace function app.community_admin_json(c app.communities) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
begin
  return jsonb_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'streetId', c.street_id,
    'streetName', (select s.name from app.streets s where s.id = c.street_id), 'address', c.address,
    'servicePhone', c.service_phone, 'serviceHours', c.service_hours, 'archivedAt', c.archived_at, 'createdAt', c.created_at,
    'cosignThreshold', coalesce((select a.cosign_threshold from app.affairs_settings a where a.community_id = c.id), 10),
    'objectionDays', coalesce((c.settings ->> 'objection_days')::integer, 7),
    'pointsOnMoveOut', coalesce(c.settings ->> 'points_on_move_out', 'keep'),
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
      'pendingRoster', (select count(*) from app.roster_entries r where r.community_id = c.id and r.claimed_at is null),
      'representatives', (select count(*) from app.member_tags t where t.community_id = c.id and t.tag = 'representative'),
      'partyMembers', (select count(*) from app.member_tags t where t.community_id = c.id and t.tag = 'party_member'),
      'pendingRosterTags', (select count(*) from app.roster_tag_entries e where e.community_id = c.id and e.claimed_at is null)));
end
$$;

drop function public.save_community(uuid, uuid, text, text, text, text, text, integer, integer);
create function public.save_community(p_community_id uuid, p_street_id uuid, p_name text, p_kind text, p_address text, p_service_phone text,
                                      p_service_hours text, p_cosign_threshold integer, p_objection_days integer,
                                      p_points_on_move_out text default 'keep') returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  c app.communities;
  v_settings jsonb := jsonb_build_object('objection_days', p_objection_days, 'points_on_move_out', coalesce(p_points_on_move_out, 'keep'));
begin
  if p_community_id is null then
    if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = v_uid) then
      perform app.fail('admin.street_admin_only');
    end if;
    insert into app.communities (street_id, name, kind, address, service_phone, service_hours, settings)
    values (p_street_id, btrim(p_name), p_kind::app.community_kind, coalesce(btrim(p_address), ''), coalesce(btrim(p_service_phone), ''),
            coalesce(btrim(p_service_hours), ''), v_settings)
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
                               settings = settings || v_settings
     where id = c.id returning * into c;
    insert into app.affairs_settings (community_id, cosign_threshold) values (c.id, p_cosign_threshold)
    on conflict (community_id) do update set cosign_threshold = excluded.cosign_threshold;
    perform app.audit(c.id, 'community.update', 'community', c.id::text, jsonb_build_object('name', c.name, 'pointsOnMoveOut', p_points_on_move_out));
  end if;
  return app.community_admin_json(c) || jsonb_build_object('mayEditCommunity', true);
exception
  when unique_violation then
    perform app.fail('admin.name_taken', 'field:name');
  when check_violation or invalid_text_representation then
    perform app.fail('core.invalid_input', sqlerrm);
end
$$;

-- A resident moves out, dies or is away for long (their membership ends; history, points ledger and
-- records stay), or moves to another household of the community. On moving out or death the community's
-- points rule applies to the points they can spend (see the top of this file).
create or replace function public.end_residence(p_membership_id uuid, p_reason text, p_note text, p_new_household_id uuid default null) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  m app.memberships;
  n app.memberships;
  v_rule text;
  v_available integer := 0;
  v_to uuid;
  v_points jsonb := null;
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
  if p_reason in ('moved_out', 'deceased') then
    v_rule := coalesce((select c.settings ->> 'points_on_move_out' from app.communities c where c.id = m.community_id), 'keep');
    select a.balance - app.pending_points(a.profile_id, a.community_id) into v_available
      from app.point_accounts a where a.profile_id = m.profile_id and a.community_id = m.community_id for update;
    v_available := greatest(coalesce(v_available, 0), 0);
    if v_rule = 'transfer' then
      select x.profile_id into v_to from app.memberships x
       where x.household_id = m.household_id and x.role = 'resident' and x.profile_id <> m.profile_id
       order by x.created_at, x.id limit 1;
    end if;
    if v_available > 0 and v_rule = 'transfer' and v_to is not null then
      perform app.post_points(m.profile_id, m.community_id, -v_available, 'transfer', '迁出，积分转给同户家人', m.id::text, 'move-out:' || m.id);
      perform app.post_points(v_to, m.community_id, v_available, 'transfer', '同户家人迁出，积分转入', m.id::text, 'move-in:' || m.id);
    elsif v_available > 0 and v_rule = 'close' then
      perform app.post_points(m.profile_id, m.community_id, -v_available, 'closure', '迁出，积分账户按社区规定清零', m.id::text, 'move-out:' || m.id);
    end if;
    v_points := jsonb_build_object('rule', v_rule, 'points', case when v_rule = 'keep' or (v_rule = 'transfer' and v_to is null) then 0 else v_available end,
                                   'to', case when v_to is null or v_available = 0 then null else app.masked_name_of(v_to) end);
  end if;
  perform app.audit(m.community_id, 'resident.' || p_reason, 'membership', m.id::text,
                    jsonb_build_object('note', p_note, 'to', p_new_household_id, 'points', v_points), m.profile_id);
  return jsonb_build_object('membershipId', m.id, 'ended', true, 'member', case when n.id is null then null else app.member_json(n) end, 'points', v_points);
end
$$;

grant execute on function public.import_roster(uuid, jsonb, boolean, text),
  public.save_community(uuid, uuid, text, text, text, text, text, integer, integer, text) to authenticated;

-- ---------------------------------------------------------------- households for those who run a community

-- The same list for the street admins of the community too (they record a resident's move to another
-- household from the admin pages); grid workers still see only their grids.
create or replace function public.list_grid_households(p_community_id uuid, p_q text default null, p_limit integer default 50, p_cursor text default null)
returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_all boolean := app.is_committee(p_community_id) or app.is_street_admin_of(p_community_id);
  v_grids uuid[] := app.my_worker_grid_ids();
  v_q text := nullif(btrim(coalesce(p_q, '')), '');
  v_rows jsonb;
begin
  perform app.require_uid();
  if not v_all and cardinality(v_grids) = 0 then
    perform app.fail('core.forbidden');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('householdId', x.id, 'address', x.address, 'gridName', x.grid_name,
           'residents', (select coalesce(jsonb_agg(app.mask_name(coalesce(p.real_name, p.display_name))), '[]'::jsonb)
                           from app.memberships m join app.profiles p on p.id = m.profile_id where m.household_id = x.id and m.role = 'resident')),
           'c', app.encode_cursor(array[x.address, x.id::text])) order by x.address, x.id)
    into v_rows
    from (select h.id, b.name || ' ' || h.room as address, g.name as grid_name
            from app.households h join app.buildings b on b.id = h.building_id join app.grids g on g.id = b.grid_id
           where h.community_id = p_community_id and (v_all or b.grid_id = any (v_grids))
             and (v_q is null or strpos(b.name || ' ' || h.room, v_q) > 0)
             and (b.name || ' ' || h.room, h.id) > (cur[1], cur[2]::uuid)
           order by b.name || ' ' || h.room, h.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

-- ---------------------------------------------------------------- a street's departments

-- The street's departments with their 报到 contacts (names masked), for its admins to keep up to date.
create function public.list_street_departments(p_street_id uuid, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security definer set search_path = '' as $$
declare
  v_uid uuid := app.require_uid();
  v_limit integer := app.page_limit(p_limit);
  cur text[] := coalesce(app.decode_cursor(p_cursor, 2), array['', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  if not exists (select 1 from app.street_admins sa where sa.street_id = p_street_id and sa.profile_id = v_uid) then
    perform app.fail('admin.street_admin_only');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', d.id, 'name', d.name, 'phone', d.phone,
           'contacts', (select coalesce(jsonb_agg(app.masked_name_of(ct.profile_id) order by ct.profile_id), '[]'::jsonb)
                          from app.department_contacts ct where ct.department_id = d.id)),
           'c', app.encode_cursor(array[d.name, d.id::text])) order by d.name, d.id)
    into v_rows
    from (select x.* from app.departments x where x.street_id = p_street_id and (x.name, x.id) > (cur[1], cur[2]::uuid)
           order by x.name, x.id limit v_limit + 1) d;
  return app.page(v_rows, v_limit);
end
$$;
grant execute on function public.list_street_departments(uuid, integer, text) to authenticated;
