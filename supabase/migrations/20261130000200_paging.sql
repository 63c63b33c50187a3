-- Paging and named permission predicates, shared by every domain.
--
-- Every list answers { items, nextCursor }: at most `limit` items (default 20, at most 100) and an opaque
-- cursor for the next page (keyset on the list's order, ties broken by id), null on the last page.
-- List functions fetch limit + 1 rows, hand them to app.page() with each row's cursor, and never return an
-- unbounded array.
--
-- Permissions read as names instead of role-set literals: app.is_member, app.is_resident, app.is_staff,
-- app.is_committee, app.is_overseer; RLS policies compare a column with the set of communities the caller
-- holds a role in (app.my_community_ids), computed once per statement, instead of calling a function per row.

-- ---------------------------------------------------------------- cursors

-- base64url of a JSON array of the sort values; opaque to clients.
create function app.encode_cursor(p_parts text[]) returns text
language sql immutable set search_path = '' as $$
  select translate(encode(convert_to(pg_catalog.array_to_json(p_parts)::text, 'UTF8'), 'base64'), E'+/=\n', '-_');
$$;

-- The sort values of a cursor, or a refusal (400) when it was not made by app.encode_cursor.
create function app.decode_cursor(p_cursor text, p_parts integer) returns text[]
language plpgsql immutable set search_path = '' as $$
declare
  v_b64 text;
  v text[];
begin
  if p_cursor is null then
    return null;
  end if;
  v_b64 := translate(p_cursor, '-_', '+/');
  v_b64 := v_b64 || repeat('=', (4 - char_length(v_b64) % 4) % 4);
  begin
    select array_agg(e order by i) into v
      from jsonb_array_elements_text(convert_from(decode(v_b64, 'base64'), 'UTF8')::jsonb) with ordinality as x(e, i);
  exception when others then
    perform app.fail('request.invalid_cursor');
  end;
  if coalesce(cardinality(v), 0) <> p_parts then
    perform app.fail('request.invalid_cursor');
  end if;
  return v;
end
$$;

-- Clamp a requested page size.
create function app.page_limit(p_limit integer) returns integer
language sql immutable set search_path = '' as $$
  select least(greatest(coalesce(p_limit, 20), 1), 100);
$$;

-- Rows fetched as [{ "i": item, "c": cursor }, ...] (limit + 1 of them, in order) → { items, nextCursor }.
create function app.page(p_rows jsonb, p_limit integer) returns jsonb
language sql immutable set search_path = '' as $$
  select jsonb_build_object(
    'items', coalesce((select jsonb_agg(r -> 'i' order by n) from jsonb_array_elements(coalesce(p_rows, '[]'::jsonb)) with ordinality as x(r, n)
                        where n <= p_limit), '[]'::jsonb),
    'nextCursor', case when jsonb_array_length(coalesce(p_rows, '[]'::jsonb)) > p_limit then p_rows -> (p_limit - 1) ->> 'c' end);
$$;

-- ---------------------------------------------------------------- who the caller is, as sets

-- Communities where the caller holds one of the roles (street admins: every community of their street).
create function app.my_community_ids(p_roles app.role[]) returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(distinct x.id), '{}') from (
    select m.community_id as id from app.memberships m
     where m.profile_id = (select auth.uid()) and m.role = any (p_roles)
    union all
    select c.id from app.street_admins sa join app.communities c on c.street_id = sa.street_id
     where 'admin' = any (p_roles) and sa.profile_id = (select auth.uid())) x;
$$;
comment on function app.my_community_ids is
  'Communities where the caller holds one of the roles; used in RLS as community_id = any ((select app.my_community_ids(...))::uuid[]), evaluated once per statement.';

-- Grids of the caller's own households (a resident's 网格), in any community.
create function app.my_grid_ids() returns uuid[]
language sql stable security definer set search_path = '' as $$
  select coalesce(array_agg(distinct b.grid_id), '{}')
    from app.memberships m
    join app.households h on h.id = m.household_id
    join app.buildings b on b.id = h.building_id
   where m.profile_id = (select auth.uid()) and m.role = 'resident';
$$;

-- ---------------------------------------------------------------- named predicates

create or replace function app.is_member(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.has_role(p_community, '{resident,committee,clerk,grid_worker,supervisor,admin}');
$$;
comment on function app.is_member is 'Any role in the community (a verified resident or any staff).';

create function app.is_resident(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.has_role(p_community, '{resident}');
$$;
comment on function app.is_resident is 'A verified resident (村民/居民) of the community.';

create function app.is_staff(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.has_role(p_community, '{committee,grid_worker,clerk,supervisor,admin}');
$$;
comment on function app.is_staff is 'Anyone who works for the community: committee, grid worker, clerk, supervisor, street admin.';

create function app.is_committee(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.has_role(p_community, '{committee,admin}');
$$;
comment on function app.is_committee is 'A committee (两委) member or a street admin of the community.';

create function app.is_overseer(p_community uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select app.has_role(p_community, '{committee,supervisor,admin}');
$$;
comment on function app.is_overseer is 'Committee, supervisory committee (监督委员会) or street admin: who sees work under review.';

grant execute on function app.encode_cursor(text[]), app.decode_cursor(text, integer), app.page_limit(integer), app.page(jsonb, integer),
  app.my_community_ids(app.role[]), app.my_grid_ids(), app.is_resident(uuid), app.is_staff(uuid), app.is_committee(uuid),
  app.is_overseer(uuid) to authenticated;
