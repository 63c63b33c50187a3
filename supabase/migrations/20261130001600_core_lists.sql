-- Core lists at a street's scale.
--
--   * the community picker used to return every community with every grid and building (50 communities
--     × 100 buildings in one answer): now communities are a page (searchable by name), one community's
--     grids come with the community, and its buildings are a page of their own;
--   * the verification queue and the audit log are pages (keyset on time, id).

create index buildings_list_idx on app.buildings (community_id, grid_id, name, id);
create index verification_queue_idx on app.verification_requests (community_id, status, created_at, id);
create index audit_log_page_idx on app.audit_log (community_id, at, id);

drop function public.list_communities();

-- Communities people may pick (every signed-in person: they choose where they live), by street and name.
create function public.list_communities(p_q text default null, p_limit integer default 20, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_q text := nullif(replace(replace(btrim(coalesce(p_q, '')), '%', ''), '_', ''), '');
  c text[] := coalesce(app.decode_cursor(p_cursor, 3), array['', '', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', x.id, 'name', x.name, 'kind', x.kind, 'streetName', x.street_name,
           'address', x.address), 'c', app.encode_cursor(array[x.street_name, x.name, x.id::text])) order by x.street_name, x.name, x.id)
    into v_rows
    from (select cm.id, cm.name, cm.kind, cm.address, s.name as street_name
            from app.communities cm join app.streets s on s.id = cm.street_id
           where (v_q is null or cm.name ilike '%' || v_q || '%' or s.name ilike '%' || v_q || '%')
             and (s.name, cm.name, cm.id) > (c[1], c[2], c[3]::uuid)
           order by s.name, cm.name, cm.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

-- One community with its grids (a community has a handful; at most 200 are returned).
create function public.get_community(p_community_id uuid) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare v jsonb;
begin
  select jsonb_build_object('id', cm.id, 'name', cm.name, 'kind', cm.kind, 'streetName', s.name, 'address', cm.address,
           'servicePhone', cm.service_phone, 'serviceHours', cm.service_hours,
           'grids', (select coalesce(jsonb_agg(jsonb_build_object('id', g.id, 'name', g.name) order by g.name), '[]'::jsonb)
                       from (select * from app.grids g0 where g0.community_id = cm.id order by g0.name limit 200) g))
    into v
    from app.communities cm join app.streets s on s.id = cm.street_id
   where cm.id = p_community_id;
  if v is null then
    perform app.fail('core.community_not_found');
  end if;
  return v;
end
$$;

-- The buildings (楼栋/院落/村民小组) of a community, by grid and name; searchable.
create function public.list_buildings(p_community_id uuid, p_q text default null, p_limit integer default 100, p_cursor text default null)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  v_q text := nullif(replace(replace(btrim(coalesce(p_q, '')), '%', ''), '_', ''), '');
  c text[] := coalesce(app.decode_cursor(p_cursor, 3), array['', '', '00000000-0000-0000-0000-000000000000']);
  v_rows jsonb;
begin
  if not exists (select 1 from app.communities cm where cm.id = p_community_id) then
    perform app.fail('core.community_not_found');
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object('id', x.id, 'name', x.name, 'gridId', x.grid_id, 'gridName', x.grid_name),
           'c', app.encode_cursor(array[x.grid_name, x.name, x.id::text])) order by x.grid_name, x.name, x.id)
    into v_rows
    from (select b.id, b.name, b.grid_id, g.name as grid_name
            from app.buildings b join app.grids g on g.id = b.grid_id
           where b.community_id = p_community_id and (v_q is null or b.name ilike '%' || v_q || '%')
             and (g.name, b.name, b.id) > (c[1], c[2], c[3]::uuid)
           order by g.name, b.name, b.id limit v_limit + 1) x;
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_verification_requests(uuid, text);

-- Staff queue (RLS decides which requests the caller sees; phones are masked): oldest first, one status or all.
create function public.list_verification_requests(p_community_id uuid, p_status text default 'pending', p_limit integer default 20,
                                                  p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['-infinity', '00000000-0000-0000-0000-000000000000']);
  v_ids uuid[];
  v_rows jsonb;
begin
  if p_status is not null and p_status not in ('pending', 'approved', 'refused', 'withdrawn') then
    perform app.fail('core.invalid_input', 'field:status');
  end if;
  -- One statement per shape: a status is an index prefix; "all" reads the community's range.
  if p_status is null then
    select array_agg(x.id order by x.created_at, x.id) into v_ids
      from (select r.id, r.created_at from app.verification_requests r
             where r.community_id = p_community_id and (r.created_at, r.id) > (c[1]::timestamptz, c[2]::uuid)
             order by r.created_at, r.id limit v_limit + 1) x;
  else
    select array_agg(x.id order by x.created_at, x.id) into v_ids
      from (select r.id, r.created_at from app.verification_requests r
             where r.community_id = p_community_id and r.status = p_status::app.verification_status
               and (r.created_at, r.id) > (c[1]::timestamptz, c[2]::uuid)
             order by r.created_at, r.id limit v_limit + 1) x;
  end if;
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', r.id, 'realName', r.real_name, 'relation', r.relation, 'phoneMasked', r.phone_masked,
           'address', b.name || ' ' || r.room, 'gridName', g.name, 'note', r.note, 'status', r.status,
           'reason', r.decision_reason, 'createdAt', r.created_at, 'decidedAt', r.decided_at),
           'c', app.encode_cursor(array[r.created_at::text, r.id::text])) order by r.created_at, r.id)
    into v_rows
    from app.verification_requests r
    join app.buildings b on b.id = r.building_id
    join app.grids g on g.id = b.grid_id
   where r.id = any (v_ids);
  return app.page(v_rows, v_limit);
end
$$;

drop function public.list_audit_log(uuid, integer);

create function public.list_audit_log(p_community_id uuid, p_limit integer default 50, p_cursor text default null) returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  v_limit integer := app.page_limit(p_limit);
  c text[] := coalesce(app.decode_cursor(p_cursor, 2), array['infinity', '9223372036854775807']);
  v_rows jsonb;
begin
  select jsonb_agg(jsonb_build_object('i', jsonb_build_object(
           'id', a.id, 'at', a.at, 'action', a.action, 'entity', a.entity, 'entityId', a.entity_id,
           'actor', app.masked_name_of(a.actor_id), 'detail', a.detail),
           'c', app.encode_cursor(array[a.at::text, a.id::text])) order by a.at desc, a.id desc)
    into v_rows
    from (select * from app.audit_log l
           where l.community_id = p_community_id and (l.at, l.id) < (c[1]::timestamptz, c[2]::bigint)
           order by l.at desc, l.id desc limit v_limit + 1) a;
  return app.page(v_rows, v_limit);
end
$$;

grant execute on function public.list_communities(text, integer, text), public.get_community(uuid),
  public.list_buildings(uuid, text, integer, text), public.list_verification_requests(uuid, text, integer, text),
  public.list_audit_log(uuid, integer, text) to authenticated;
